package io.github.etcdgrpclb.etcd;

import java.util.Map;

/**
 * The little JSON the starter writes beside the Go tutorial's plain values (instance metadata, an
 * operator's override): flat objects of strings, numbers and booleans, read and quoted without a JSON
 * library on the core's class path.
 */
public final class FlatJson {

	private FlatJson() {
	}

	/**
	 * Reads a flat JSON object: members that are strings, numbers, booleans or arrays of those (an
	 * array becomes one comma-separated value).
	 * @param json the text
	 * @return member name -> value as text, sorted by name
	 * @throws IllegalArgumentException when it is not such an object, saying where and what was expected
	 */
	public static Map<String, String> read(String json) {
		return new FlatJsonReader(json).readObject();
	}

	/**
	 * Appends a JSON string literal.
	 * @param json where to append
	 * @param text the string
	 * @return {@code json}
	 */
	public static StringBuilder quote(StringBuilder json, String text) {
		json.append('"');
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		return json.append('"');
	}

}
