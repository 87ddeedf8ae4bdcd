package io.flowmate.core.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Which IP addresses a user's URL may reach, and host names that are IP addresses in disguise. */
final class Addresses {

  /**
   * Every numeric IPv4 spelling {@code inet_aton} accepts: one to four parts, each decimal, octal
   * (leading 0) or hex (0x). {@code 2852039166} and {@code 0x7f.1} are such addresses to curl and
   * Node (WAHA), so they are read as addresses here too rather than looked up as names.
   */
  private static final Pattern NUMERIC_V4 =
      Pattern.compile(
          "(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+)){0,3}", Pattern.CASE_INSENSITIVE);

  /** IPv4 ranges that are not the public internet (RFC 6890 and friends), with why. */
  private static final List<Range> V4 =
      List.of(
          new Range(Cidr.parse("0.0.0.0/8"), "an unspecified ('this network') address"),
          new Range(Cidr.parse("10.0.0.0/8"), "a private address"),
          new Range(Cidr.parse("100.64.0.0/10"), "a shared (carrier-grade NAT) address"),
          new Range(Cidr.parse("127.0.0.0/8"), "a loopback address"),
          new Range(
              Cidr.parse("169.254.0.0/16"),
              "a link-local address (where cloud metadata services answer)"),
          new Range(Cidr.parse("172.16.0.0/12"), "a private address"),
          new Range(Cidr.parse("192.0.0.0/24"), "a reserved (IETF protocol) address"),
          new Range(Cidr.parse("192.0.2.0/24"), "a reserved (documentation) address"),
          new Range(Cidr.parse("192.168.0.0/16"), "a private address"),
          new Range(Cidr.parse("198.18.0.0/15"), "a reserved (benchmarking) address"),
          new Range(Cidr.parse("198.51.100.0/24"), "a reserved (documentation) address"),
          new Range(Cidr.parse("203.0.113.0/24"), "a reserved (documentation) address"),
          new Range(Cidr.parse("224.0.0.0/4"), "a multicast address"),
          new Range(Cidr.parse("240.0.0.0/4"), "a reserved (or broadcast) address"));

  /** IPv6 ranges that are not the public internet; forms that embed IPv4 are handled apart. */
  private static final List<Range> V6 =
      List.of(
          new Range(Cidr.parse("64:ff9b:1::/48"), "a local-use NAT64 address"),
          new Range(Cidr.parse("100::/64"), "a reserved (discard) address"),
          new Range(Cidr.parse("2001::/32"), "a Teredo tunnel address (it hides an IPv4 address)"),
          new Range(Cidr.parse("2001:db8::/32"), "a reserved (documentation) address"),
          new Range(Cidr.parse("fc00::/7"), "a unique-local address"),
          new Range(Cidr.parse("fe80::/10"), "a link-local address"),
          new Range(Cidr.parse("fec0::/10"), "a site-local address"),
          new Range(Cidr.parse("ff00::/8"), "a multicast address"));

  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

  private Addresses() {}

  /** A range of addresses no user URL may reach, and the words that say why. */
  private record Range(Cidr cidr, String why) {}

  /**
   * The address a host name spells, or empty when it is a name to look up. IPv6 literals (with or
   * without brackets) and every numeric IPv4 spelling count as addresses.
   *
   * @throws IllegalArgumentException when the host is numeric but no valid address
   */
  static Optional<InetAddress> literal(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      if (h.contains(":")) {
        // A literal: InetAddress never asks DNS for it. Mapped forms (::ffff:a.b.c.d) come back as
        // IPv4.
        return Optional.of(InetAddress.getByName(h));
      }
      if (NUMERIC_V4.matcher(h).matches()) {
        return Optional.of(InetAddress.getByAddress(numericV4(h)));
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + host + "' is not a valid IP address");
    }
    return Optional.empty();
  }

  /** Why the address is not on the public internet, or empty when it is. */
  static Optional<String> blocked(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      return V4.stream().filter(r -> r.cidr().contains(address)).map(Range::why).findFirst();
    }
    if (isZero(bytes, 0, 16)) {
      return Optional.of("an unspecified address");
    }
    if (isZero(bytes, 0, 15) && bytes[15] == 1) {
      return Optional.of("a loopback address");
    }
    if (isZero(bytes, 0, 12) || isMapped(bytes) || NAT64.contains(address)) {
      // IPv4-compatible (::a.b.c.d), IPv4-mapped (::ffff:a.b.c.d) and NAT64 forms reach the IPv4
      // address they embed.
      return embedded(bytes, 12);
    }
    if (SIX_TO_FOUR.contains(address)) {
      return embedded(bytes, 2);
    }
    Optional<String> listed =
        V6.stream().filter(r -> r.cidr().contains(address)).map(Range::why).findFirst();
    if (listed.isPresent()) {
      return listed;
    }
    if (address instanceof Inet6Address v6
        && (v6.isSiteLocalAddress() || v6.isLinkLocalAddress())) {
      return Optional.of("a link-local address");
    }
    return Optional.empty();
  }

  /**
   * IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) as the IPv4 address it stands for; others as they
   * are.
   */
  static InetAddress unmapped(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16 && isMapped(bytes)) {
      return v4(bytes, 12);
    }
    return address;
  }

  private static Optional<String> embedded(byte[] bytes, int offset) {
    InetAddress v4 = v4(bytes, offset);
    return blocked(v4).map(why -> "a form of " + v4.getHostAddress() + ", " + why);
  }

  private static InetAddress v4(byte[] bytes, int offset) {
    try {
      return InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, offset, offset + 4));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isMapped(byte[] bytes) {
    return isZero(bytes, 0, 10) && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  private static boolean isZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** {@code inet_aton}: the last part fills the bytes the earlier parts leave. */
  private static byte[] numericV4(String host) throws UnknownHostException {
    String[] parts = host.split("\\.", -1);
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = part(parts[i]);
      long max = i < parts.length - 1 ? 0xFF : (1L << (8 * (5 - parts.length))) - 1;
      if (values[i] < 0 || values[i] > max) {
        throw new UnknownHostException(host);
      }
    }
    long address = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      address |= values[i] << (8 * (3 - i));
    }
    address |= values[parts.length - 1];
    return new byte[] {
      (byte) (address >> 24), (byte) (address >> 16), (byte) (address >> 8), (byte) address
    };
  }

  private static long part(String part) throws UnknownHostException {
    try {
      if (part.toLowerCase().startsWith("0x")) {
        return part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
      }
      if (part.length() > 1 && part.startsWith("0")) {
        return Long.parseLong(part.substring(1), 8);
      }
      return Long.parseLong(part);
    } catch (NumberFormatException e) {
      throw new UnknownHostException(part);
    }
  }
}
