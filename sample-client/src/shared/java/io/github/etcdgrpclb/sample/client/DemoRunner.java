package io.github.etcdgrpclb.sample.client;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdgrpclb.sample.api.SimpleGrpc;
import io.github.etcdgrpclb.sample.api.SimpleRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Makes the calls like the Go tutorial's client ({@code data = "grpc <i>"}) and prints, per server
 * (the call's remote peer, so Go servers count too), its weight from etcd, the expected share and
 * the observed share.
 */
@Component
class DemoRunner implements ApplicationRunner {

	private static final String PREFIX = "/grpclb/simple_grpc/";

	private final Channel simpleChannel;

	private final Client etcd;

	private final DemoProperties demo;

	private volatile CallTable lastTable;

	DemoRunner(Channel simpleChannel, Client etcd, DemoProperties demo) {
		this.simpleChannel = simpleChannel;
		this.etcd = etcd;
		this.demo = demo;
	}

	@Override
	public void run(ApplicationArguments args) throws Exception {
		awaitServers();
		Map<String, Long> byPeer = new ConcurrentHashMap<>();
		AtomicReference<String> lastPeer = new AtomicReference<>("?");
		Channel channel = ClientInterceptors.intercept(this.simpleChannel, peerRecorder(lastPeer));
		SimpleGrpc.SimpleBlockingStub stub = SimpleGrpc.newBlockingStub(channel);
		long failed = 0;
		long started = System.nanoTime();
		HealthLog healthLog = new HealthLog();
		for (int i = 0; i < this.demo.getCalls(); i++) {
			try {
				stub.withDeadlineAfter(5, TimeUnit.SECONDS).route(SimpleRequest.newBuilder().setData("grpc " + i).build());
				byPeer.merge(lastPeer.get(), 1L, Long::sum);
			}
			catch (StatusRuntimeException ex) {
				failed++;
			}
			if ((i + 1) % Math.max(1, this.demo.getCalls() / 10) == 0) {
				System.out.printf("  ... %d/%d calls%n", i + 1, this.demo.getCalls());
			}
			pace(started, i + 1);
		}
		healthLog.close();
		printTable(byPeer, failed, healthLog.changes());
	}

	private void awaitServers() throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (this.demo.getAwaitServers() > 0 && weights().size() < this.demo.getAwaitServers()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Fewer than " + this.demo.getAwaitServers() + " servers in etcd after 30 s");
			}
			Thread.sleep(100);
		}
	}

	private void pace(long started, int done) throws InterruptedException {
		if (this.demo.getRate() > 0) {
			long due = started + TimeUnit.SECONDS.toNanos(done) / this.demo.getRate();
			long wait = due - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
		}
	}

	private Map<String, Integer> weights() throws Exception {
		Map<String, Integer> weights = new TreeMap<>();
		for (KeyValue kv : this.etcd.getKVClient()
			.get(bytes(PREFIX), GetOption.builder().isPrefix(true).build())
			.get(5, TimeUnit.SECONDS)
			.getKvs()) {
			String value = text(kv.getValue()).trim();
			weights.put(text(kv.getKey()).substring(PREFIX.length()), value.matches("\\d+") ? Integer.parseInt(value) : 1);
		}
		return weights;
	}

	private void printTable(Map<String, Long> byPeer, long failed, List<String> healthChanges) throws Exception {
		Map<String, Integer> weights = weights();
		CallTable table = CallTable.of(byPeer, weights, failed);
		this.lastTable = table;
		System.out.printf("%n  %-22s %6s %9s %9s %7s%n", "server", "weight", "expected", "observed", "calls");
		for (CallTable.Row row : table.rows()) {
			System.out.printf("  %-22s %6s %9s %8.1f%% %7d%n", row.server(), (row.weight() != null) ? row.weight() : "-",
					(row.weight() != null) ? String.format("%.1f%%", 100 * row.expectedShare()) : "-",
					100 * row.observedShare(), row.calls());
		}
		System.out.printf("  %d calls answered, %d failed%n%n", table.answered(), table.failed());
		if (!healthChanges.isEmpty()) {
			System.out.printf("  the balancer's judgements while calling:%n%s%n%n", String.join(System.lineSeparator(), healthChanges));
		}
		if (this.demo.isCheckSplit() && table.maxDeviations() > 6) {
			throw new IllegalStateException(String.format("The calls did not follow etcd's weights: a server's share is "
					+ "%.1f binomial deviations off its weight's (at most 6 is chance); the balancer's judgements: %s",
					table.maxDeviations(), healthChanges.isEmpty() ? "all healthy" : String.join("\n", healthChanges)));
		}
	}

	/** @return the table of the last run, or null before the first */
	CallTable lastTable() {
		return this.lastTable;
	}

	private static ClientInterceptor peerRecorder(AtomicReference<String> lastPeer) {
		return new ClientInterceptor() {

			@Override
			public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
				return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {

					@Override
					public void start(Listener<R> listener, Metadata headers) {
						super.start(new io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {

							@Override
							public void onHeaders(Metadata responseHeaders) {
								SocketAddress peer = getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
								lastPeer.set((peer != null) ? peer.toString().replaceFirst("^.*/", "") : "?");
								super.onHeaders(responseHeaders);
							}

						}, headers);
					}

				};
			}

		};
	}

}
