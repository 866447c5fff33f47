package io.github.etcdgrpclb.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.etcdgrpclb.election.LeadershipTerm;
import io.github.etcdgrpclb.spring.election.EtcdLeadership;
import io.github.etcdgrpclb.spring.election.LeaderApplication;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;

/**
 * A Spring Integration Candidate and an {@code @EtcdLeaderOnly} application in one etcd election (Go's
 * layout, {@code /election/reports}): one leads at a time, the candidate gets Spring Integration's
 * events, and leadership passes between the two kinds when one goes.
 */
class EtcdLeaderInitiatorTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@Test
	void candidateShouldShareTheElectionWithEtcdLeaderOnlyApplications() {
		CandidateApplication.events.clear();
		try (ConfigurableApplicationContext leaderOnly = LeaderApplication.start(etcd.endpoints(), "leader-only")) {
			EtcdLeadership leadership = leaderOnly.getBean(EtcdLeadership.class);
			await().atMost(Duration.ofSeconds(5)).until(leadership::isLeader);
			long firstToken = leadership.token();
			try (ConfigurableApplicationContext candidate = CandidateApplication.start(etcd.endpoints())) {
				EtcdLeaderInitiator initiator = candidate.getBean(EtcdLeaderInitiator.class);
				assertThat(initiator.getContext().isLeader()).isFalse();
				leadership.yieldLeadership().join();
				await().atMost(Duration.ofSeconds(5)).until(() -> initiator.getContext().isLeader());
				assertThat(leadership.leader()).isEqualTo("si-candidate");
				assertThat(leaderOnly.getBean(LeaderApplication.ReportJob.class).write()).as("not the leader").isNull();
				LeadershipTerm term = initiator.getContext().term();
				assertThat(term.token()).as("fencing token").isGreaterThan(firstToken);
				assertThat(term.key()).startsWith("/election/reports/");
				await().atMost(Duration.ofSeconds(5)).until(() -> CandidateApplication.events.contains("granted reports"));
			}
			assertThat(CandidateApplication.events).containsExactly("granted reports", "revoked reports");
			await().atMost(Duration.ofSeconds(5)).until(leadership::isLeader);
		}
	}

	@Test
	void yieldThroughTheContextShouldHandLeadershipOver() {
		CandidateApplication.events.clear();
		try (ConfigurableApplicationContext candidate = CandidateApplication.start(etcd.endpoints());
				ConfigurableApplicationContext leaderOnly = LeaderApplication.start(etcd.endpoints(), "leader-only")) {
			EtcdLeaderInitiator initiator = candidate.getBean(EtcdLeaderInitiator.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> initiator.getContext().isLeader());
			initiator.getContext().yield();
			await().atMost(Duration.ofSeconds(5)).until(() -> leaderOnly.getBean(EtcdLeadership.class).isLeader());
			await().atMost(Duration.ofSeconds(5))
				.until(() -> CandidateApplication.events.equals(List.of("granted reports", "revoked reports")));
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CandidateApplication {

		static final List<String> events = new CopyOnWriteArrayList<>();

		static ConfigurableApplicationContext start(String endpoints) {
			return new SpringApplicationBuilder(CandidateApplication.class).web(WebApplicationType.NONE)
				.properties("etcd.endpoints=" + endpoints, "etcd.leader.ttl=2s", "etcd.registry.enabled=false",
						"grpc.server.port=-1", "spring.grpc.server.enabled=false", "spring.main.banner-mode=off")
				.run();
		}

		@Bean
		DefaultCandidate candidate() {
			return new DefaultCandidate("si-candidate", "reports");
		}

		@EventListener
		void granted(OnGrantedEvent event) {
			events.add("granted " + event.getRole());
		}

		@EventListener
		void revoked(OnRevokedEvent event) {
			events.add("revoked " + event.getRole());
		}

	}

}
