package io.github.etcdgrpclb.support;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;

/** A plain jetcd client for tests to look at and tamper with etcd, as an operator would. */
public final class RawEtcd implements AutoCloseable {

	private final Client client;

	public RawEtcd(String endpoints) {
		this.client = Client.builder().endpoints(endpoints.split(",")).build();
	}

	public Client client() {
		return this.client;
	}

	/** @return the key-values under the prefix, in key order */
	public List<KeyValue> list(String prefix) {
		try {
			return this.client.getKVClient()
				.get(bytes(prefix), GetOption.builder().isPrefix(true).build())
				.get(10, TimeUnit.SECONDS)
				.getKvs();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** @return key -> value under the prefix */
	public Map<String, String> values(String prefix) {
		Map<String, String> values = new LinkedHashMap<>();
		list(prefix).forEach((kv) -> values.put(text(kv.getKey()), text(kv.getValue())));
		return values;
	}

	/** @return the key-value, or {@code null} */
	public KeyValue get(String key) {
		return list(key).stream().filter((kv) -> text(kv.getKey()).equals(key)).findFirst().orElse(null);
	}

	public void put(String key, String value) {
		await(this.client.getKVClient().put(bytes(key), bytes(value)));
	}

	public void delete(String key) {
		await(this.client.getKVClient().delete(bytes(key)));
	}

	public void revoke(long leaseId) {
		await(this.client.getLeaseClient().revoke(leaseId));
	}

	private static <T> T await(CompletableFuture<T> future) {
		try {
			return future.get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.client.close();
	}

}
