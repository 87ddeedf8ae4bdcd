package io.flowmate.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A block of IP addresses ({@code 10.0.0.0/8}, {@code fc00::/7}); a bare address is a block of one.
 */
record Cidr(byte[] network, int prefix) {

  /**
   * Parses {@code address/prefix} or a bare address; only literal addresses, never names.
   *
   * @throws IllegalArgumentException when it is not such a block
   */
  static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (!address.contains(":") && !address.matches("[0-9.]+")) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
    }
    byte[] network;
    try {
      network = Addresses.unmapped(InetAddress.getByName(address)).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
    }
    int bits = network.length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("'" + text + "' has a prefix longer than the address");
    }
    return new Cidr(network, prefix);
  }

  /**
   * True when the address (an IPv4-mapped IPv6 address counts as its IPv4 address) is in the block.
   */
  boolean contains(InetAddress address) {
    byte[] bytes = Addresses.unmapped(address).getAddress();
    if (bytes.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xFF << (8 - rest) & 0xFF;
    return (bytes[full] & mask) == (network[full] & mask);
  }
}
