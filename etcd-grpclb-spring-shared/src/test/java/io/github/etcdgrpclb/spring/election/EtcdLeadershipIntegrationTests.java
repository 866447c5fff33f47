package io.github.etcdgrpclb.spring.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.etcdgrpclb.spring.actuate.GrpclbEndpoint;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Three applications on one election name against a real etcd: one leader, leader-only jobs run only
 * there, events in order, a closed leader handing over, yield.
 */
class EtcdLeadershipIntegrationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	@BeforeEach
	void clearTimeline() {
		LeaderApplication.timeline.clear();
	}

	@AfterEach
	void closeApps() {
		this.apps.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void threeApplicationsShouldHaveOneLeaderWhoseJobsAloneRunAndWhoHandsOverOnClose() {
		for (String id : List.of("app-1", "app-2", "app-3")) {
			this.apps.add(LeaderApplication.start(etcd.endpoints(), id));
		}
		ConfigurableApplicationContext leader = awaitOneLeader();
		EtcdLeadership leading = leader.getBean(EtcdLeadership.class);
		for (ConfigurableApplicationContext app : this.apps) {
			await().atMost(Duration.ofSeconds(5))
				.until(() -> leading.candidateId().equals(app.getBean(EtcdLeadership.class).leader()));
			Long ran = app.getBean(LeaderApplication.ReportJob.class).write();
			assertThat(ran).as(app.getBean(EtcdLeadership.class).candidateId())
				.isEqualTo((app == leader) ? (Long) leading.token() : null);
		}
		String oldLeader = leading.candidateId();
		long oldToken = leading.token();
		leader.close();
		this.apps.remove(leader);
		ConfigurableApplicationContext next = awaitOneLeader();
		String newLeader = next.getBean(EtcdLeadership.class).candidateId();
		assertThat(LeaderApplication.timeline).containsSubsequence("granted " + oldLeader, "revoked " + oldLeader,
				"granted " + newLeader);
		// Fencing: the new leader's token is larger than every earlier leader's.
		assertThat(next.getBean(EtcdLeadership.class).token()).isGreaterThan(oldToken);
	}

	@Test
	void yieldShouldHandLeadershipToAnotherApplication() {
		this.apps.add(LeaderApplication.start(etcd.endpoints(), "first"));
		ConfigurableApplicationContext first = awaitOneLeader();
		this.apps.add(LeaderApplication.start(etcd.endpoints(), "second"));
		EtcdLeadership second = this.apps.get(1).getBean(EtcdLeadership.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> "first".equals(second.leader()));
		long firstToken = first.getBean(EtcdLeadership.class).token();
		first.getBean(EtcdLeadership.class).yieldLeadership().join();
		await().atMost(Duration.ofSeconds(5)).until(second::isLeader);
		assertThat(second.token()).isGreaterThan(firstToken);
		assertThat(first.getBean(LeaderApplication.ReportJob.class).write()).isNull();
	}

	@Test
	void endpointAndMetersShouldShowTheElectionAndTheEndpointShouldYield() {
		String[] observed = { "management.endpoints.web.exposure.include=grpclb" };
		this.apps.add(LeaderApplication.start(etcd.endpoints(), "first", observed));
		ConfigurableApplicationContext first = awaitOneLeader();
		this.apps.add(LeaderApplication.start(etcd.endpoints(), "second", observed));
		ConfigurableApplicationContext second = this.apps.get(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> "first".equals(second.getBean(EtcdLeadership.class).leader()));
		GrpclbEndpoint.Election seen = second.getBean(GrpclbEndpoint.class).grpclb().elections().get(0);
		assertThat(seen.name()).isEqualTo("/election/reports");
		assertThat(seen.candidateId()).isEqualTo("second");
		assertThat(seen.leader()).isEqualTo("first");
		assertThat(seen.role()).isEqualTo("FOLLOWER");
		GrpclbEndpoint.Election leading = first.getBean(GrpclbEndpoint.class).grpclb().elections().get(0);
		assertThat(leading.role()).isEqualTo("LEADER");
		assertThat(leading.token()).isEqualTo(first.getBean(EtcdLeadership.class).token());
		MeterRegistry meters = first.getBean(MeterRegistry.class);
		assertThat(meters.get("grpclb.leader.is.leader").tag("name", "reports").gauge().value()).isEqualTo(1);
		assertThat(meters.get("grpclb.leader.terms").tag("name", "reports").functionCounter().count()).isEqualTo(1);
		WebEndpointResponse<Object> yielded = first.getBean(GrpclbEndpoint.class).update(null, null, "true", null);
		assertThat(yielded.getStatus()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> second.getBean(EtcdLeadership.class).isLeader());
		assertThat(meters.get("grpclb.leader.is.leader").tag("name", "reports").gauge().value()).isZero();
		assertThat(meters.get("grpclb.leader.time").tag("name", "reports").functionCounter().count()).isPositive();
	}

	private ConfigurableApplicationContext awaitOneLeader() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.apps.stream().filter((app) -> app.getBean(EtcdLeadership.class).isLeader()).count() == 1);
		return this.apps.stream().filter((app) -> app.getBean(EtcdLeadership.class).isLeader()).findFirst().orElseThrow();
	}

}
