package io.github.etcdgrpclb.spring.etcd;

import static io.github.etcdgrpclb.spring.etcd.EtcdAutoConfigurationTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The auto-configured client against a real etcd: the operations the registry, the resolver and the
 * lock are built on.
 */
class EtcdClientIntegrationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class))
		.withPropertyValues("etcd.endpoints=" + etcd.endpoints());

	@Test
	void prefixGetShouldReturnOnlyKeysUnderThePrefix() {
		this.contextRunner.run((context) -> {
			KV kv = context.getBean(Client.class).getKVClient();
			kv.put(bytes("/svc/foo/10.0.0.1:1"), bytes("1")).get(5, TimeUnit.SECONDS);
			kv.put(bytes("/svc/foo/10.0.0.2:1"), bytes("2")).get(5, TimeUnit.SECONDS);
			kv.put(bytes("/svc/foobar/10.0.0.3:1"), bytes("3")).get(5, TimeUnit.SECONDS);
			List<String> keys = kv.get(bytes("/svc/foo/"), GetOption.builder().isPrefix(true).build())
				.get(5, TimeUnit.SECONDS)
				.getKvs()
				.stream()
				.map((keyValue) -> keyValue.getKey().toString(StandardCharsets.UTF_8))
				.toList();
			assertThat(keys).containsExactly("/svc/foo/10.0.0.1:1", "/svc/foo/10.0.0.2:1");
		});
	}

	@Test
	void watchShouldDeliverPutAndDeleteEvents() {
		this.contextRunner.run((context) -> {
			Client client = context.getBean(Client.class);
			List<String> events = new CopyOnWriteArrayList<>();
			// A watch starts asynchronously: from a known revision it cannot miss the put below.
			long revision = client.getKVClient().get(bytes("/watched/")).get(5, TimeUnit.SECONDS).getHeader().getRevision();
			WatchOption fromNow = WatchOption.builder().isPrefix(true).withRevision(revision + 1).build();
			try (Watch.Watcher watcher = client.getWatchClient()
				.watch(bytes("/watched/"), fromNow, (response) -> response
					.getEvents()
					.forEach((event) -> events.add(event.getEventType() + " "
							+ event.getKeyValue().getKey().toString(StandardCharsets.UTF_8))))) {
				client.getKVClient().put(bytes("/watched/a"), bytes("1")).get(5, TimeUnit.SECONDS);
				client.getKVClient().delete(bytes("/watched/a")).get(5, TimeUnit.SECONDS);
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(events).containsExactly(WatchEvent.EventType.PUT + " /watched/a",
							WatchEvent.EventType.DELETE + " /watched/a"));
			}
		});
	}

	@Test
	void keptAliveLeaseShouldOutliveItsTtlAndItsKeyGoWhenRevoked() {
		this.contextRunner.run((context) -> {
			Client client = context.getBean(Client.class);
			long leaseId = client.getLeaseClient().grant(2).get(5, TimeUnit.SECONDS).getID();
			client.getKVClient()
				.put(bytes("/leased"), bytes("x"), PutOption.builder().withLeaseId(leaseId).build())
				.get(5, TimeUnit.SECONDS);
			List<Long> keepAlives = new CopyOnWriteArrayList<>();
			try (var keepAlive = client.getLeaseClient().keepAlive(leaseId, observer(keepAlives))) {
				// Past 3 TTLs the key is still there only because the keep-alive works.
				await().atMost(Duration.ofSeconds(15)).until(() -> keepAlives.size() >= 8);
				assertThat(client.getKVClient().get(bytes("/leased")).get(5, TimeUnit.SECONDS).getCount()).isOne();
			}
			client.getLeaseClient().revoke(leaseId).get(5, TimeUnit.SECONDS);
			assertThat(client.getKVClient().get(bytes("/leased")).get(5, TimeUnit.SECONDS).getCount()).isZero();
		});
	}

	@Test
	void txnShouldPutOnlyWhenTheKeyIsAbsent() {
		this.contextRunner.run((context) -> {
			KV kv = context.getBean(Client.class).getKVClient();
			TxnResponse first = putIfAbsent(kv, "/txn/k", "first");
			TxnResponse second = putIfAbsent(kv, "/txn/k", "second");
			assertThat(first.isSucceeded()).isTrue();
			assertThat(second.isSucceeded()).isFalse();
			assertThat(kv.get(bytes("/txn/k")).get(5, TimeUnit.SECONDS).getKvs().get(0).getValue()
				.toString(StandardCharsets.UTF_8)).isEqualTo("first");
		});
	}

	private static TxnResponse putIfAbsent(KV kv, String key, String value) throws Exception {
		return kv.txn()
			.If(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
			.Then(Op.put(bytes(key), bytes(value), PutOption.DEFAULT))
			.commit()
			.get(5, TimeUnit.SECONDS);
	}

	private static StreamObserver<LeaseKeepAliveResponse> observer(List<Long> ttls) {
		return new StreamObserver<>() {

			@Override
			public void onNext(LeaseKeepAliveResponse value) {
				ttls.add(value.getTTL());
			}

			@Override
			public void onError(Throwable t) {
			}

			@Override
			public void onCompleted() {
			}

		};
	}

}
