package dev.promoter.kit.outbound;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address range in CIDR notation ({@code 10.0.0.0/8}, {@code fd00:ec2::254/128}). */
record AddressRange(byte[] network, int prefix, String text) {

    private static final Pattern DOTTED_QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /**
     * Parses {@code address} or {@code address/prefix}.
     *
     * @throws IllegalArgumentException when it is no address literal or the prefix does not fit
     */
    static AddressRange parse(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = literal(addressText)
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is no IP address or CIDR range"));
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "' has a prefix outside 0-" + bits);
            }
        }
        return new AddressRange(address.getAddress(), prefix, text);
    }

    /**
     * The address a URL host or an allow-list entry writes literally: a dotted quad or an IPv6 address (bracketed or
     * not); empty for anything else, which is a name. Never asks DNS. IPv4-mapped IPv6 addresses come back as IPv4.
     */
    static Optional<InetAddress> literal(String host) {
        String text = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            Matcher quad = DOTTED_QUAD.matcher(text);
            if (quad.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(quad.group(i + 1));
                    if (part > 255) {
                        return Optional.empty();
                    }
                    bytes[i] = (byte) part;
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            // A text with a colon is parsed as an IPv6 literal; InetAddress never looks such a text up in DNS.
            if (text.indexOf(':') >= 0 && text.toLowerCase(Locale.ROOT).matches("[0-9a-f:.]+")) {
                return Optional.of(InetAddress.getByName(text));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        return prefixOf(bytes).equals(prefixOf(network));
    }

    /** Whether every address of {@code other} is in this range. */
    boolean covers(AddressRange other) {
        return other.network.length == network.length && other.prefix >= prefix
                && new AddressRange(other.network, prefix, other.text).prefixOf(other.network).equals(prefixOf(network));
    }

    boolean isIpv4() {
        return network.length == 4;
    }

    private BigInteger prefixOf(byte[] bytes) {
        int bits = bytes.length * 8;
        return new BigInteger(1, bytes).shiftRight(bits - prefix);
    }

    static String show(InetAddress address) {
        return address instanceof Inet4Address ? address.getHostAddress() : "[" + address.getHostAddress() + "]";
    }

    @Override
    public String toString() {
        return text;
    }
}
