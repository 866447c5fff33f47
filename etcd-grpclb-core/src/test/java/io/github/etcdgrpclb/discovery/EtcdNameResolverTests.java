package io.github.etcdgrpclb.discovery;

import static io.github.etcdgrpclb.support.EtcdData.events;
import static io.github.etcdgrpclb.support.EtcdData.kv;
import static io.github.etcdgrpclb.support.EtcdData.listed;
import static io.github.etcdgrpclb.support.EtcdData.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.github.etcdgrpclb.balancer.WeightAttributes;
import io.github.etcdgrpclb.support.FakePrefixSource;
import io.github.etcdgrpclb.support.FakeTimer;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolver.ResolutionResult;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The resolver's failure rules without an etcd: what the channel is given when etcd is away before
 * and after a first list, when etcd says there is no server, for malformed keys, weight changes and
 * replayed events. A fake etcd and a fake timer; a real SynchronizationContext that fails the test
 * on any exception.
 */
class EtcdNameResolverTests {

	private static final String PREFIX = "/grpclb/orders/";

	private static final String META = "/grpclb-meta/orders/";

	private final List<Throwable> uncaught = new ArrayList<>();

	private final SynchronizationContext syncContext = new SynchronizationContext(
			(thread, error) -> this.uncaught.add(error));

	private final FakeTimer timer = new FakeTimer();

	private final FakePrefixSource etcd = new FakePrefixSource();

	private final DiscoveryStats stats = new DiscoveryStats();

	private final Results channel = new Results();

	private final EtcdNameResolver resolver = new EtcdNameResolver("orders", InstanceSelector.ALL, null, this.etcd, new NoClients(),
			EtcdResolverSettings.DEFAULT, args(), this.stats, null, (snapshot) -> {
			});

	@AfterEach
	void noUncaughtErrors() {
		assertThat(this.uncaught).isEmpty();
	}

	@Test
	void listShouldGiveTheChannelEachServerWithItsWeightAndTheWeightPolicy() {
		start();
		this.etcd.lastList(PREFIX).complete(listed(10, kv(PREFIX + "10.0.0.1:9001", "3", 5), kv(PREFIX + "10.0.0.2:9001", "1", 6)));

		assertThat(this.channel.results).singleElement().satisfies((result) -> {
			assertThat(weights(result)).containsExactly(Map.entry("10.0.0.1:9001", 3), Map.entry("10.0.0.2:9001", 1));
			assertThat(result.getServiceConfig().getConfig()).isNotNull();
		});
	}

	@Test
	void etcdAwayBeforeTheFirstListShouldFailCallsWithUnavailable() {
		start();
		this.etcd.lastList(PREFIX).completeExceptionally(new IllegalStateException("connection refused"));

		assertThat(this.channel.results).singleElement()
			.satisfies((result) -> assertThat(result.getAddressesOrError().getStatus().getCode())
				.isEqualTo(Status.Code.UNAVAILABLE));
		assertThat(this.stats.errors()).isEqualTo(1);
	}

	@Test
	void firstListWithoutAnswerShouldLetCallsWaitForTheNextListOnAnotherMember() {
		start();
		this.timer.forward(Duration.ofMillis(1010)); // the first list times out (a stalled member)
		assertThat(this.channel.results).as("calls wait for the next list").isEmpty();

		this.timer.forward(Duration.ofMillis(250));
		this.etcd.lastList(PREFIX).complete(listed(10, kv(PREFIX + "10.0.0.1:9001", "3", 5)));
		assertThat(this.channel.results).singleElement()
			.satisfies((result) -> assertThat(weights(result)).containsExactly(Map.entry("10.0.0.1:9001", 3)));
	}

	@Test
	void secondFirstListWithoutAnswerShouldFailCallsWithUnavailable() {
		start();
		this.timer.forward(Duration.ofMillis(1010));
		this.timer.forward(Duration.ofMillis(250)); // the retry goes out; it gets 2 s
		this.timer.forward(Duration.ofMillis(2010));

		assertThat(this.channel.results).singleElement()
			.satisfies((result) -> assertThat(result.getAddressesOrError().getStatus().getCode())
				.isEqualTo(Status.Code.UNAVAILABLE));
	}

	@Test
	void etcdAwayAfterAListShouldKeepTheLastKnownServers() {
		start();
		this.etcd.lastList(PREFIX).complete(listed(10, kv(PREFIX + "10.0.0.1:9001", "3", 5)));
		this.etcd.lastList(META).complete(listed(10));

		// Past each retry (200 then 400 ms, ±20 %), before any list times out (1 s).
		this.etcd.lastWatch(PREFIX).fail(new IllegalStateException("etcd restarted"));
		this.timer.forward(Duration.ofMillis(250));
		this.etcd.lastList(PREFIX).completeExceptionally(new IllegalStateException("connection refused"));
		this.timer.forward(Duration.ofMillis(500));
		this.etcd.lastList(PREFIX).completeExceptionally(new IllegalStateException("connection refused"));

		assertThat(this.channel.results).as("no empty list, no error: the channel keeps its servers").hasSize(1);
		assertThat(this.resolver.snapshot().instances()).hasSize(1);
		assertThat(this.stats.errors()).isEqualTo(3);
	}

	@Test
	void emptyListFromEtcdShouldEmptyTheChannelsServers() {
		start();
		this.etcd.lastList(PREFIX).complete(listed(10, kv(PREFIX + "10.0.0.1:9001", "3", 5)));

		this.etcd.lastWatch(PREFIX).fail(EtcdExceptionFactory.newCompactedException(8));
		this.etcd.lastList(PREFIX).complete(listed(20));

		assertThat(this.channel.results).hasSize(2);
		assertThat(weights(this.channel.results.get(1))).isEmpty();
	}

	@Test
	void malformedKeysShouldBeSkippedAndCountedOnce() {
		start();
		this.etcd.lastList(PREFIX)
			.complete(listed(10, kv(PREFIX + "not-an-address", "3", 5), kv(PREFIX + "10.0.0.2:9001", "oops", 6)));
		this.syncContext.execute(this.resolver::refresh);
		this.etcd.lastList(PREFIX)
			.complete(listed(11, kv(PREFIX + "not-an-address", "3", 5), kv(PREFIX + "10.0.0.2:9001", "oops", 6)));

		assertThat(weights(this.channel.results.get(0))).as("a non-numeric value is weight 1, as in the tutorial")
			.containsExactly(Map.entry("10.0.0.2:9001", 1));
		assertThat(this.stats.malformedEntries()).isEqualTo(1);
	}

	@Test
	void weightChangeShouldReachTheChannelAndAReplayedEventShouldNot() {
		start();
		this.etcd.lastList(PREFIX).complete(listed(10, kv(PREFIX + "10.0.0.1:9001", "3", 5)));

		this.etcd.lastWatch(PREFIX).send(events(put(PREFIX + "10.0.0.1:9001", "7", 11)));
		this.etcd.lastWatch(PREFIX).send(events(put(PREFIX + "10.0.0.1:9001", "7", 11)));

		assertThat(this.channel.results).hasSize(2);
		assertThat(weights(this.channel.results.get(1))).containsExactly(Map.entry("10.0.0.1:9001", 7));
	}

	@Test
	void metadataShouldReachTheChannelWithItsServerAndChangesOfItAlone() {
		start();
		this.etcd.lastList(META).complete(listed(10, kv(META + "10.0.0.1:9001", "{\"zone\":\"a\"}", 9)));
		assertThat(this.channel.results).as("nothing before the servers are listed").isEmpty();
		this.etcd.lastList(PREFIX).complete(listed(10, kv(PREFIX + "10.0.0.1:9001", "3", 5), kv(PREFIX + "10.0.0.2:9001", "1", 6)));

		assertThat(metadata(this.channel.results.get(0))).containsExactly(Map.entry("10.0.0.1:9001", Map.of("zone", "a")),
				Map.entry("10.0.0.2:9001", Map.of()));
		this.etcd.lastWatch(META).send(events(put(META + "10.0.0.2:9001", "{\"zone\":\"b\"}", 11)));
		assertThat(metadata(this.channel.results.get(1))).containsEntry("10.0.0.2:9001", Map.of("zone", "b"));
		assertThat(this.resolver.snapshot().instances().get(1).metadata().zone()).isEqualTo("b");
	}

	@Test
	void malformedMetadataShouldBeSkippedWithTheServerKept() {
		start();
		this.etcd.lastList(PREFIX).complete(listed(10, kv(PREFIX + "10.0.0.1:9001", "3", 5)));
		this.etcd.lastList(META).complete(listed(10, kv(META + "10.0.0.1:9001", "zone=a", 9)));

		assertThat(weights(this.channel.results.get(this.channel.results.size() - 1)))
			.containsExactly(Map.entry("10.0.0.1:9001", 3));
		assertThat(this.stats.malformedEntries()).isEqualTo(1);
	}

	@Test
	void targetQueryShouldSelectTheServersWhoseMetadataMatches() {
		EtcdNameResolver v2 = new EtcdNameResolver("orders", InstanceSelector.parse("version=v2&tags=canary"), null,
				this.etcd, new NoClients(), EtcdResolverSettings.DEFAULT, args(), this.stats, null, (snapshot) -> {
				});
		this.syncContext.execute(() -> v2.start(this.channel));
		this.etcd.lastList(META).complete(listed(10, kv(META + "10.0.0.1:9001", "{\"version\":\"v2\",\"tags\":\"blue,canary\"}", 9),
				kv(META + "10.0.0.2:9001", "{\"version\":\"v2\"}", 9)));
		this.etcd.lastList(PREFIX).complete(listed(10, kv(PREFIX + "10.0.0.1:9001", "3", 5),
				kv(PREFIX + "10.0.0.2:9001", "1", 6), kv(PREFIX + "10.0.0.3:9001", "1", 7)));

		assertThat(weights(this.channel.results.get(0))).containsOnlyKeys("10.0.0.1:9001");
	}

	private void start() {
		this.syncContext.execute(() -> this.resolver.start(this.channel));
	}

	private static Map<String, Map<String, String>> metadata(ResolutionResult result) {
		Map<String, Map<String, String>> metadata = new java.util.LinkedHashMap<>();
		for (EquivalentAddressGroup group : result.getAddressesOrError().getValue()) {
			InetSocketAddress address = (InetSocketAddress) group.getAddresses().get(0);
			metadata.put(address.getHostString() + ":" + address.getPort(), WeightAttributes.metadataOf(group).values());
		}
		return metadata;
	}

	private static Map<String, Integer> weights(ResolutionResult result) {
		Map<String, Integer> weights = new java.util.LinkedHashMap<>();
		for (EquivalentAddressGroup group : result.getAddressesOrError().getValue()) {
			InetSocketAddress address = (InetSocketAddress) group.getAddresses().get(0);
			weights.put(address.getHostString() + ":" + address.getPort(), group.getAttributes().get(WeightAttributes.WEIGHT));
		}
		return weights;
	}

	private NameResolver.Args args() {
		return NameResolver.Args.newBuilder()
			.setDefaultPort(443)
			.setProxyDetector((address) -> null)
			.setSynchronizationContext(this.syncContext)
			.setScheduledExecutorService(this.timer)
			.setServiceConfigParser(new NameResolver.ServiceConfigParser() {

				@Override
				public NameResolver.ConfigOrError parseServiceConfig(Map<String, ?> rawServiceConfig) {
					return NameResolver.ConfigOrError.fromConfig(rawServiceConfig);
				}

			})
			.build();
	}

	/** The channel's side: every result it was given, in order. */
	private static final class Results extends NameResolver.Listener2 {

		private final List<ResolutionResult> results = new ArrayList<>();

		@Override
		public Status onResult2(ResolutionResult result) {
			this.results.add(result);
			return Status.OK;
		}

		@Override
		public void onResult(ResolutionResult result) {
			onResult2(result);
		}

		@Override
		public void onError(Status error) {
			onResult2(ResolutionResult.newBuilder().setAddressesOrError(io.grpc.StatusOr.fromStatus(error)).build());
		}

	}

	/** The fake etcd needs no client. */
	private static final class NoClients implements EtcdClientSource {

		@Override
		public Client acquire(URI target) {
			return null;
		}

		@Override
		public void release(Client client) {
		}

	}

}
