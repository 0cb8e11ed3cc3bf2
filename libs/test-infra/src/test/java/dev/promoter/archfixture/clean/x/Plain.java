package dev.promoter.archfixture.clean.x;

public record Plain(String digest) {
}
