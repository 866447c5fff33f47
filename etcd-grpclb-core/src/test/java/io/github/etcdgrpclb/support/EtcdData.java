package io.github.etcdgrpclb.support;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchEvent.EventType;

/** jetcd's responses as etcd would send them, built by hand for unit tests without an etcd. */
public final class EtcdData {

	private EtcdData() {
	}

	/**
	 * @param key the key
	 * @param value the value
	 * @param modRevision the revision that last changed it
	 * @return the key-value
	 */
	public static KeyValue kv(String key, String value, long modRevision) {
		return new KeyValue(io.etcd.jetcd.api.KeyValue.newBuilder()
			.setKey(ByteString.copyFromUtf8(key))
			.setValue(ByteString.copyFromUtf8(value))
			.setCreateRevision(modRevision)
			.setModRevision(modRevision)
			.build(), ByteSequence.EMPTY);
	}

	/**
	 * @param revision the store's revision in the response header
	 * @param kvs what the list found
	 * @return a list's response
	 */
	public static GetResponse listed(long revision, KeyValue... kvs) {
		RangeResponse.Builder response = RangeResponse.newBuilder()
			.setHeader(ResponseHeader.newBuilder().setRevision(revision))
			.setCount(kvs.length);
		for (KeyValue kv : kvs) {
			response.addKvs(io.etcd.jetcd.api.KeyValue.newBuilder()
				.setKey(ByteString.copyFrom(kv.getKey().getBytes()))
				.setValue(ByteString.copyFrom(kv.getValue().getBytes()))
				.setCreateRevision(kv.getCreateRevision())
				.setModRevision(kv.getModRevision()));
		}
		return new GetResponse(response.build(), ByteSequence.EMPTY);
	}

	/** @return a PUT event of the key at that revision */
	public static WatchEvent put(String key, String value, long revision) {
		return new WatchEvent(kv(key, value, revision), null, EventType.PUT);
	}

	/** @return a DELETE event of the key at that revision */
	public static WatchEvent delete(String key, long revision) {
		return new WatchEvent(kv(key, "", revision), null, EventType.DELETE);
	}

	/** @return the events as one watch response's list */
	public static List<WatchEvent> events(WatchEvent... events) {
		return List.of(events);
	}

	/** @return the bytes of a text, for assertions on keys */
	public static String text(ByteSequence bytes) {
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
