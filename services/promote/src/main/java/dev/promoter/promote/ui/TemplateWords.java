package dev.promoter.promote.ui;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;

/** How the templates write digests and times: {@code {digest.shortDigest}}, {@code {instant.when}}. */
@TemplateExtension
final class TemplateWords {

    private TemplateWords() {
    }

    static String shortDigest(String digest) {
        return StreamCell.shortDigest(digest);
    }

    static String when(Instant at) {
        return StreamCell.when(at);
    }
}
