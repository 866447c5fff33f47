package io.github.etcdgrpclb.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one flat JSON object, enough for instance metadata: members that are strings, numbers,
 * booleans or arrays of those (an array becomes one comma-separated value); anything else is refused
 * with where and what was expected.
 */
final class FlatJsonReader {

	private final String text;

	private int at;

	FlatJsonReader(String text) {
		this.text = text;
	}

	Map<String, String> readObject() {
		Map<String, String> values = new TreeMap<>();
		expect('{');
		if (peek() == '}') {
			this.at++;
			return end(values);
		}
		while (true) {
			String key = readString();
			expect(':');
			values.put(key, readValue());
			char next = next();
			if (next == '}') {
				return end(values);
			}
			if (next != ',') {
				throw fail("',' or '}'");
			}
		}
	}

	private Map<String, String> end(Map<String, String> values) {
		if (peek() != 0) {
			throw fail("the end of the value");
		}
		return values;
	}

	private String readValue() {
		char c = peek();
		if (c == '"') {
			return readString();
		}
		if (c == '[') {
			this.at++;
			List<String> items = new ArrayList<>();
			if (peek() == ']') {
				this.at++;
				return "";
			}
			while (true) {
				items.add(readValue());
				char next = next();
				if (next == ']') {
					return String.join(",", items);
				}
				if (next != ',') {
					throw fail("',' or ']'");
				}
			}
		}
		int start = this.at;
		while (this.at < this.text.length() && "-+.eE0123456789truefalsn".indexOf(this.text.charAt(this.at)) >= 0) {
			this.at++;
		}
		if (start == this.at) {
			throw fail("a string, number, boolean or array");
		}
		return this.text.substring(start, this.at);
	}

	private String readString() {
		expect('"');
		StringBuilder value = new StringBuilder();
		while (this.at < this.text.length()) {
			char c = this.text.charAt(this.at++);
			if (c == '"') {
				return value.toString();
			}
			if (c != '\\') {
				value.append(c);
				continue;
			}
			if (this.at >= this.text.length()) {
				break;
			}
			char escaped = this.text.charAt(this.at++);
			switch (escaped) {
				case 'n' -> value.append('\n');
				case 't' -> value.append('\t');
				case 'r' -> value.append('\r');
				case 'b' -> value.append('\b');
				case 'f' -> value.append('\f');
				case 'u' -> {
					if (this.at + 4 > this.text.length()) {
						throw fail("four hex digits");
					}
					value.append((char) Integer.parseInt(this.text.substring(this.at, this.at + 4), 16));
					this.at += 4;
				}
				default -> value.append(escaped);
			}
		}
		throw fail("a closing quote");
	}

	private void expect(char expected) {
		if (next() != expected) {
			throw fail("'" + expected + "'");
		}
	}

	private char next() {
		char c = peek();
		this.at++;
		return c;
	}

	private char peek() {
		while (this.at < this.text.length() && Character.isWhitespace(this.text.charAt(this.at))) {
			this.at++;
		}
		return (this.at < this.text.length()) ? this.text.charAt(this.at) : 0;
	}

	private IllegalArgumentException fail(String expected) {
		return new IllegalArgumentException("metadata must be a JSON object of strings; expected " + expected
				+ " at character " + Math.min(this.at, this.text.length()));
	}

}
