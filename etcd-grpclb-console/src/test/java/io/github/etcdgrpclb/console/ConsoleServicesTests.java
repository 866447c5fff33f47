package io.github.etcdgrpclb.console;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.etcd.jetcd.options.PutOption;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's services against a real etcd, as a browser and a script read them: the page rendered on
 * the server with each instance's {@code host:port} beside its weight, and the live stream the page keeps
 * itself current with, within 2 s of each change in etcd.
 */
class ConsoleServicesTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	private final HttpClient http = HttpClient.newHttpClient();

	private RunningConsole console;

	private String base;

	@BeforeEach
	void startConsole() {
		this.console = new RunningConsole(etcd.endpoints());
		this.base = this.console.base();
	}

	@AfterEach
	void stopConsole() {
		this.console.close();
		raw.delete("/grpclb/orders/127.0.0.1:9001");
		raw.delete("/grpclb-meta/orders/127.0.0.1:9001");
	}

	@Test
	void pageShouldListEachInstanceAsHostPortBesideItsWeight() throws Exception {
		raw.put("/grpclb/orders/127.0.0.1:9001", "3");
		raw.put("/grpclb-meta/orders/127.0.0.1:9001", "{\"zone\":\"eu-1a\"}");
		raw.put("/grpclb/tutorial/127.0.0.1:9101", "not-a-number"); // the Go tutorial's rule: weight 1
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(get("/"))
			.contains("<td class=\"address\">127.0.0.1:9001</td><td class=\"weight\">3</td><td class=\"metadata\">zone=eu-1a</td>")
			.contains("<td class=\"address\">127.0.0.1:9101</td><td class=\"weight\">1</td>"));
		assertThat(get("/api/services")).contains("\"name\":\"orders\"").contains("\"address\":\"127.0.0.1:9001\"");
		raw.delete("/grpclb/tutorial/127.0.0.1:9101");
	}

	@Test
	void leasesAndHistoryShouldShowEachRegistrationsTtlLeftAndTheServicesCountOverTime() throws Exception {
		long lease = raw.client().getLeaseClient().grant(5).get(5, TimeUnit.SECONDS).getID();
		raw.client()
			.getKVClient()
			.put(bytes("/grpclb/orders/127.0.0.1:9001"), bytes("3"), PutOption.builder().withLeaseId(lease).build())
			.get(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> assertThat(get("/"))
			.containsPattern("<tr class=\"lease\" data-address=\"127.0.0.1:9001\"><td class=\"service\">orders</td>"
					+ "<td class=\"address\">127.0.0.1:9001</td><td class=\"lease\">" + Long.toHexString(lease)
					+ "</td><td class=\"ttl\">[1-5] s of 5 s</td><td class=\"since\">\\d\\d:\\d\\d:\\d\\d</td>")
			.contains("<div class=\"history\" data-name=\"orders\">")
			.contains("now <span class=\"instances\">1</span> instances, total weight 3"));
		raw.revoke(lease);
		await().atMost(Duration.ofSeconds(4))
			.untilAsserted(() -> assertThat(get("/")).doesNotContain("data-address=\"127.0.0.1:9001\"")
				.contains("now <span class=\"instances\">0</span> instances"));
	}

	@Test
	void liveStreamShouldShowARegistrationAndItsRemovalWithinTwoSeconds() throws Exception {
		List<String> events = new CopyOnWriteArrayList<>();
		CompletableFuture<HttpResponse<Stream<String>>> stream = this.http.sendAsync(
				HttpRequest.newBuilder(URI.create(this.base + "/events")).build(), HttpResponse.BodyHandlers.ofLines());
		CompletableFuture.runAsync(() -> stream.join()
			.body()
			.filter((line) -> line.startsWith("data:") && line.contains("\"id\":\"services\""))
			.forEach(events::add));
		await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1); // the current fleet, at once

		long put = System.nanoTime();
		raw.put("/grpclb/orders/127.0.0.1:9001", "3");
		await().atMost(Duration.ofSeconds(2)).until(() -> last(events).contains("127.0.0.1:9001"));
		Duration shown = Duration.ofNanos(System.nanoTime() - put);
		long deleted = System.nanoTime();
		raw.delete("/grpclb/orders/127.0.0.1:9001");
		await().atMost(Duration.ofSeconds(2)).until(() -> !last(events).contains("127.0.0.1:9001"));
		Duration removed = Duration.ofNanos(System.nanoTime() - deleted);
		System.out.printf("console: a registration shown %d ms after its put, gone %d ms after its delete%n",
				shown.toMillis(), removed.toMillis());
		assertThat(this.console.context().getBean(LiveSections.class).pages()).isEqualTo(1);
		stream.join().body().close();
	}

	@Test
	void closingTheConsoleShouldEndOpenStreamsRatherThanWaitForThem() throws Exception {
		CompletableFuture<Void> streamEnded = this.http
			.sendAsync(HttpRequest.newBuilder(URI.create(this.base + "/events")).build(), HttpResponse.BodyHandlers.ofLines())
			.thenAccept((response) -> response.body().forEach((line) -> {
			}));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.console.context().getBean(LiveSections.class).pages() == 1);
		long closing = System.nanoTime();
		this.console.close();
		// The web server's graceful shutdown waits 30 s for requests still open; an open page's stream is one.
		assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(10));
		streamEnded.get(5, java.util.concurrent.TimeUnit.SECONDS);
	}

	private String get(String path) throws Exception {
		return this.console.get(path);
	}

	private static String last(List<String> events) {
		return events.isEmpty() ? "" : events.get(events.size() - 1);
	}

}
