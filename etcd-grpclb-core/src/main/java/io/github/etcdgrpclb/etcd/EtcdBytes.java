package io.github.etcdgrpclb.etcd;

import java.nio.charset.StandardCharsets;

import io.etcd.jetcd.ByteSequence;

/** UTF-8 conversions between Java strings and etcd keys and values. */
public final class EtcdBytes {

	private EtcdBytes() {
	}

	/** @return the UTF-8 bytes of {@code text} */
	public static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	/** @return the bytes decoded as UTF-8 (malformed sequences become U+FFFD) */
	public static String text(ByteSequence bytes) {
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
