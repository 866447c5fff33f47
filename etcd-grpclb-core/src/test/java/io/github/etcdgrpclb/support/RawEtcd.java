package io.github.etcdgrpclb.support;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A plain jetcd client for tests to look at and tamper with etcd, as an operator would. Either opened
 * and closed by the test ({@code new RawEtcd(endpoints)}), or registered beside the etcd extension for
 * a whole test class, connected on first use and closed after the class's tests:
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final EtcdExtension etcd = EtcdExtension.single();
 *
 * &#64;RegisterExtension
 * static final RawEtcd raw = RawEtcd.of(etcd);
 * </pre>
 */
public final class RawEtcd implements AutoCloseable, AfterAllCallback {

	private final Supplier<String> endpoints;

	private Client client;

	public RawEtcd(String endpoints) {
		this(() -> endpoints);
		client();
	}

	private RawEtcd(Supplier<String> endpoints) {
		this.endpoints = endpoints;
	}

	/** @return a client of the extension's etcd for a whole test class */
	public static RawEtcd of(EtcdExtension etcd) {
		return new RawEtcd(etcd::endpoints);
	}

	public synchronized Client client() {
		if (this.client == null) {
			this.client = Client.builder().endpoints(this.endpoints.get().split(",")).build();
		}
		return this.client;
	}

	/** @return the key-values under the prefix, in key order */
	public List<KeyValue> list(String prefix) {
		try {
			return client().getKVClient()
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
		await(client().getKVClient().put(bytes(key), bytes(value)));
	}

	public void delete(String key) {
		await(client().getKVClient().delete(bytes(key)));
	}

	public void revoke(long leaseId) {
		await(client().getLeaseClient().revoke(leaseId));
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
	public synchronized void close() {
		if (this.client != null) {
			this.client.close();
			this.client = null;
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

}
