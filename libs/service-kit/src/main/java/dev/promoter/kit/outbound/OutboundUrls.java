package dev.promoter.kit.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The hosts and address ranges the pipeline may call on a user's behalf: the health, smoke and deploy-hook URLs of
 * pipeline definitions. Plain Java: parse the URL, match its host against the allow-list, and at send time resolve it
 * and match every address it resolves to.
 *
 * <p>Entries: a CIDR range ({@code 10.0.0.0/8}, {@code fd00::/8}), one address ({@code 192.0.2.10}), a host name
 * ({@code shop.example.com}), or every name under a domain ({@code *.svc.cluster.local}). A URL whose host is an
 * address must lie in a range; one whose host is a name must be named. Link-local and cloud-metadata addresses and
 * names ({@link #GUARDED_RANGES}, {@link #GUARDED_NAMES}) are refused even inside a wider range (say
 * {@code 0.0.0.0/0}) or under an allowed domain: only an entry within them, or the exact name, lets them through.
 * Safe to share between threads.
 */
public final class OutboundUrls {

    /** Link-local (where cloud metadata services answer), AWS' IPv6 metadata address, Alibaba's, and "any address". */
    public static final List<String> GUARDED_RANGES = List.of("169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128",
            "100.100.100.200/32", "0.0.0.0/8", "::/128");
    /** Names of cloud metadata services. */
    public static final Set<String> GUARDED_NAMES = Set.of("metadata.google.internal", "metadata.goog", "metadata",
            "instance-data", "instance-data.ec2.internal", "metadata.azure.internal", "metadata.tencentyun.com");

    /** Looks a host name up; {@link #DNS} in production, a map in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The system resolver. */
    public static final Resolver DNS = InetAddress::getAllByName;

    private static final List<AddressRange> GUARDED = GUARDED_RANGES.stream().map(AddressRange::parse).toList();

    private final List<String> entries;
    private final List<AddressRange> ranges = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<String> domains = new ArrayList<>();

    private OutboundUrls(List<String> entries) {
        this.entries = List.copyOf(entries);
        for (String raw : entries) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/") || AddressRange.literal(entry).isPresent()) {
                ranges.add(AddressRange.parse(entry));
            } else if (entry.startsWith("*.") && isName(entry.substring(2))) {
                domains.add(entry.substring(1));
            } else if (isName(entry)) {
                names.add(stripDot(entry));
            } else {
                throw new IllegalArgumentException("'" + raw + "' is neither a CIDR range, an address, a host name"
                        + " nor *.<domain>");
            }
        }
    }

    /**
     * The allow-list of these entries.
     *
     * @throws IllegalArgumentException naming the first entry that is none of the kinds above
     */
    public static OutboundUrls allowing(Collection<String> entries) {
        return new OutboundUrls(List.copyOf(entries));
    }

    /** The entries as configured, for messages. */
    public List<String> entries() {
        return entries;
    }

    /**
     * Why {@code url} may not be called, judged on its text alone (no DNS): not http(s), no host, an address outside
     * the ranges, a name not listed, or a guarded address or name not named explicitly. Empty when it may.
     */
    public Optional<String> refusal(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost();
        if (!scheme.equals("http") && !scheme.equals("https") || host == null || host.isEmpty()) {
            return Optional.of("must be an http or https URL with a host");
        }
        Optional<InetAddress> address = AddressRange.literal(host);
        if (address.isPresent()) {
            return refusal(address.get(), null);
        }
        String name = stripDot(host.toLowerCase(Locale.ROOT));
        if (GUARDED_NAMES.contains(name)) {
            return names.contains(name) ? Optional.empty() : Optional.of("host " + name + " is a cloud metadata service;"
                    + " refused unless the allow-list names it exactly (" + describe() + ")");
        }
        if (names.contains(name) || domains.stream().anyMatch(name::endsWith)) {
            return Optional.empty();
        }
        return Optional.of("host " + name + " is not in the allow-list of outbound hosts (" + describe() + ")");
    }

    /**
     * {@link #refusal(URI)}, and then, for a host name, every address it resolves to now: none may be guarded unless
     * a range entry within the guarded range names it. A name that does not resolve is no refusal: the call itself
     * fails and says so. Blocks on DNS: call it off the event loop.
     */
    public Optional<String> refusal(URI url, Resolver resolver) {
        Optional<String> refusal = refusal(url);
        if (refusal.isPresent() || AddressRange.literal(url.getHost()).isPresent()) {
            return refusal;
        }
        String name = stripDot(url.getHost().toLowerCase(Locale.ROOT));
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            Optional<String> guarded = guardedRefusal(address, name);
            if (guarded.isPresent()) {
                return guarded;
            }
        }
        return Optional.empty();
    }

    /**
     * {@link #refusal(URI, Resolver)} with the system resolver on {@code executor}, for callers on an event loop:
     * completes with the refusal, or empty when the URL may be called.
     */
    public CompletableFuture<Optional<String>> refusalAsync(URI url, Executor executor) {
        // Only a name needs the resolver; an address or a refusal by text is answered here and now.
        Optional<String> byText = refusal(url);
        if (byText.isPresent() || AddressRange.literal(url.getHost()).isPresent()) {
            return CompletableFuture.completedFuture(byText);
        }
        return CompletableFuture.supplyAsync(() -> refusal(url, DNS), executor);
    }

    /** A URL the allow-list refuses, as a send-time failure says it: "refused by the outbound allow-list: …". */
    public static final class RefusedUrlException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RefusedUrlException(String reason) {
            super("refused by the outbound allow-list (pipeline.outbound.allowed): " + reason, null, false, false);
        }
    }

    private Optional<String> refusal(InetAddress address, String name) {
        Optional<String> guarded = guardedRefusal(address, name);
        if (guarded.isPresent()) {
            return guarded;
        }
        if (ranges.stream().anyMatch(range -> range.contains(address))) {
            return Optional.empty();
        }
        return Optional.of(AddressRange.show(address) + " is not in the allow-list of outbound hosts (" + describe()
                + ")");
    }

    private Optional<String> guardedRefusal(InetAddress address, String name) {
        for (AddressRange guarded : GUARDED) {
            if (guarded.contains(address)) {
                boolean named = ranges.stream().anyMatch(range -> guarded.covers(range) && range.contains(address));
                if (named) {
                    return Optional.empty();
                }
                return Optional.of((name == null ? "" : "host " + name + " resolves to ") + AddressRange.show(address)
                        + ", a link-local or cloud metadata address (" + guarded + "); refused unless the allow-list"
                        + " names it explicitly (" + describe() + ")");
            }
        }
        return Optional.empty();
    }

    private String describe() {
        return entries.isEmpty() ? "the allow-list is empty" : "allowed: " + String.join(", ", entries);
    }

    private static boolean isName(String text) {
        return text.matches("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?\\.?") && !text.contains("..");
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
