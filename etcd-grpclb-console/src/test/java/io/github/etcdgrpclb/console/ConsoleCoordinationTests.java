package io.github.etcdgrpclb.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.election.EtcdLeaderElection;
import io.github.etcdgrpclb.election.LeadershipListener;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


/**
 * The leaders, locks, configuration and cluster sections against a real etcd, written by the core's own
 * election and lock (Go's layouts): the leader and the candidates in line, the lock holder with its
 * fencing token and the waiter behind it, a configuration folder's keys, the member that leads.
 */
class ConsoleCoordinationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	private RunningConsole console;

	private Client client;

	@BeforeEach
	void start() {
		this.client = Client.builder().endpoints(etcd.endpoints().split(",")).build();
		this.console = new RunningConsole(etcd.endpoints());
	}

	@AfterEach
	void stop() {
		this.console.close();
		this.client.close();
	}

	@Test
	void leaderAndCandidatesShouldShowInTheirOrder() throws Exception {
		try (EtcdLeaderElection first = new EtcdLeaderElection(this.client, "/election/reports", "app-1",
				Duration.ofSeconds(2), LeadershipListener.NONE);
				EtcdLeaderElection second = new EtcdLeaderElection(this.client, "/election/reports", "app-2",
						Duration.ofSeconds(2), LeadershipListener.NONE)) {
			first.start();
			await().atMost(Duration.ofSeconds(5)).until(first::isLeader);
			second.start();
			long token = first.term().token();
			await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(page()).contains("<td class=\"name\">reports</td>"
					+ "<td class=\"holder\">app-1</td><td class=\"token\">" + token + "</td><td class=\"waiting\">app-2</td>"));
		}
	}

	@Test
	void lockHolderWithItsTokenAndTheWaiterBehindShouldShow() throws Exception {
		try (EtcdLockTemplate holderSide = new EtcdLockTemplate(this.client, "/locks", Duration.ofSeconds(5));
				EtcdLockTemplate waiterSide = new EtcdLockTemplate(this.client, "/locks", Duration.ofSeconds(5));
				LockLease held = holderSide.tryLock("nightly", Duration.ZERO)) {
			CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
				try (LockLease later = waiterSide.tryLock("nightly", Duration.ofSeconds(10))) {
					// got it once the holder let go
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			String holderLease = Long.toHexString(held.leaseId());
			await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(page())
				.contains("<td class=\"name\">nightly</td><td class=\"holder\">lease " + holderLease
						+ "</td><td class=\"token\">" + held.token() + "</td><td class=\"waiting\">lease "));
			held.close();
			waiting.get(10, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(page()).doesNotContain(">nightly<"));
		}
	}

	@Test
	void configurationFolderAndTheLeadingMemberShouldShow() throws Exception {
		raw.put("/config/orders/order.max-items", "50");
		raw.put("/config/orders/spring.datasource.password", "s3cret");
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(page())
			.contains("/config/orders/ (revision ")
			.contains("<td class=\"key\">order.max-items</td><td class=\"value\">50</td>")
			.contains("<td class=\"key\">spring.datasource.password</td><td class=\"value\">******</td>")
			.doesNotContain("s3cret")
			.containsPattern("<td class=\"name\">[^<]+ \\(leader\\)</td>")
			.contains("No alarm."));
		raw.delete("/config/orders/order.max-items");
		raw.delete("/config/orders/spring.datasource.password");
	}

	private String page() throws Exception {
		return this.console.get("/");
	}

}
