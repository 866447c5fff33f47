package io.github.etcdgrpclb.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a registration written by this starter (any {@code ValueFormat}), by the Go tutorial (weight
 * or round-robin flavour) or by etcd's Go endpoints package. The address is the key minus
 * {@code <prefix>/<service>/} when that is {@code host:port}; otherwise (etcd's endpoints package
 * names keys freely) the value's JSON {@code "Addr"}, or the value itself when it is {@code host:port}.
 * The weight is the value as a decimal integer, or a JSON {@code "weight"} member (top level or in
 * {@code "Metadata"}); any other value counts as weight 1, like the tutorial. Weights are clamped to
 * 1..max. An entry with no usable address is rejected with the reason.
 */
public final class ServiceInstanceParser {

	private static final Pattern INTEGER = Pattern.compile("\\s*([+-]?\\d{1,18})\\s*");

	private static final Pattern JSON_WEIGHT = Pattern.compile("\"weight\"\\s*:\\s*([+-]?\\d{1,18})(?![\\d.eE])");

	private static final Pattern JSON_ADDR = Pattern.compile("\"Addr\"\\s*:\\s*\"([^\"]{1,300})\"");

	private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9._-]*[A-Za-z0-9_])?");

	private final String servicePrefix;

	private final int maxWeight;

	/**
	 * @param servicePrefix {@code <prefix>/<service>/}, with the trailing slash
	 * @param maxWeight the largest weight
	 */
	public ServiceInstanceParser(String servicePrefix, int maxWeight) {
		this.servicePrefix = servicePrefix;
		this.maxWeight = maxWeight;
	}

	/**
	 * @param key the etcd key
	 * @param value the etcd value
	 * @return the instance
	 * @throws MalformedInstanceException when the key holds no usable address
	 */
	public ServiceInstance parse(String key, String value) {
		if (!key.startsWith(this.servicePrefix)) {
			throw new MalformedInstanceException("not under " + this.servicePrefix);
		}
		String address = key.substring(this.servicePrefix.length());
		InetSocketAddress socket;
		try {
			socket = socketAddress(address);
		}
		catch (MalformedInstanceException notInTheKey) {
			address = addressInValue(value);
			if (address == null) {
				throw notInTheKey;
			}
			socket = socketAddress(address);
		}
		return new ServiceInstance(key, address, socket, weight(value));
	}

	/** @return the JSON "Addr", or the value itself when it looks like host:port; null otherwise */
	private static String addressInValue(String value) {
		String trimmed = value.trim();
		if (trimmed.startsWith("{")) {
			Matcher addr = JSON_ADDR.matcher(trimmed);
			return addr.find() ? addr.group(1) : null;
		}
		return (trimmed.indexOf(':') > 0 && trimmed.length() <= 300) ? trimmed : null;
	}

	int weight(String value) {
		// The common case without a regex (10,000 instances are parsed on every full list): 1 to 9 digits.
		int plain = digits(value, 9);
		if (plain >= 0) {
			return clamp(plain);
		}
		Matcher integer = INTEGER.matcher(value);
		Matcher json = JSON_WEIGHT.matcher(value);
		String digits = integer.matches() ? integer.group(1)
				: (value.trim().startsWith("{") && json.find()) ? json.group(1) : null;
		return (digits != null) ? clamp(Long.parseLong(digits)) : 1;
	}

	private int clamp(long weight) {
		return (int) Math.max(1, Math.min(this.maxWeight, weight));
	}

	static InetSocketAddress socketAddress(String address) {
		if (address.isEmpty() || address.indexOf('/') >= 0) {
			throw new MalformedInstanceException("the address must be host:port without '/'");
		}
		int colon = address.lastIndexOf(':');
		if (colon <= 0 || colon == address.length() - 1) {
			throw new MalformedInstanceException("no host:port");
		}
		String host = address.substring(0, colon);
		int port = port(address.substring(colon + 1));
		if (host.startsWith("[") && host.endsWith("]")) {
			return new InetSocketAddress(ipv6Literal(host.substring(1, host.length() - 1)), port);
		}
		if (host.indexOf(':') >= 0) {
			throw new MalformedInstanceException("an IPv6 host must be in brackets, e.g. [::1]:9000");
		}
		if (isDigitsAndDots(host)) {
			return new InetSocketAddress(ipv4Literal(host), port);
		}
		if (!HOST_NAME.matcher(host).matches()) {
			throw new MalformedInstanceException("not a host name or IP address");
		}
		// A host name is resolved by the transport when it connects, not here.
		return InetSocketAddress.createUnresolved(host, port);
	}

	private static int port(String text) {
		int port = digits(text, 5);
		if (port < 0) {
			throw new MalformedInstanceException("the port is not a number");
		}
		if (port < 1 || port > 65535) {
			throw new MalformedInstanceException("the port is not within 1..65535");
		}
		return port;
	}

	/** Four dot-separated decimal parts, read in place (no substring per part: 10,000 keys per full list). */
	private static InetAddress ipv4Literal(String host) {
		byte[] bytes = new byte[4];
		int part = 0;
		int value = 0;
		int digits = 0;
		for (int i = 0; i <= host.length(); i++) {
			char c = (i < host.length()) ? host.charAt(i) : '.';
			if (c != '.') {
				value = value * 10 + (c - '0');
				if (++digits > 3) {
					throw new MalformedInstanceException("not an IPv4 address");
				}
				continue;
			}
			if (digits == 0 || value > 255 || part == 4) {
				throw new MalformedInstanceException("not an IPv4 address");
			}
			bytes[part++] = (byte) value;
			value = 0;
			digits = 0;
		}
		if (part != 4) {
			throw new MalformedInstanceException("not an IPv4 address");
		}
		return literal(bytes);
	}

	private static boolean isDigitsAndDots(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if ((c < '0' || c > '9') && c != '.') {
				return false;
			}
		}
		return true;
	}

	/** @return the decimal number of 1 to {@code maxDigits} ASCII digits, or -1 for anything else */
	private static int digits(String text, int maxDigits) {
		if (text.isEmpty() || text.length() > maxDigits) {
			return -1;
		}
		int number = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			number = number * 10 + (c - '0');
		}
		return number;
	}

	private static InetAddress ipv6Literal(String host) {
		if (host.isEmpty() || !host.matches("[0-9A-Fa-f:.]+")) {
			throw new MalformedInstanceException("not an IPv6 address");
		}
		try {
			// Only hex digits, colons and dots get here: getByName parses a literal, never a DNS name.
			return InetAddress.getByName(host);
		}
		catch (UnknownHostException ex) {
			throw new MalformedInstanceException("not an IPv6 address");
		}
	}

	private static InetAddress literal(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new MalformedInstanceException("not an IP address");
		}
	}

	/** A key that names no usable server address. */
	public static final class MalformedInstanceException extends IllegalArgumentException {

		MalformedInstanceException(String reason) {
			super(reason);
		}

	}

}
