package io.github.etcdgrpclb.spring.election;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * A whole application taking part in an election, for tests on either Spring line: a leader-only job
 * and a record of the leadership events it received.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class LeaderApplication {

	/** Every application's events, in the order they were published: one timeline for all. */
	static final List<String> timeline = new CopyOnWriteArrayList<>();

	@Bean
	ReportJob reportJob() {
		return new ReportJob();
	}

	@Bean
	EventRecorder eventRecorder() {
		return new EventRecorder();
	}

	public static ConfigurableApplicationContext start(String endpoints, String candidateId, String... properties) {
		return new SpringApplicationBuilder(LeaderApplication.class).web(WebApplicationType.NONE)
			.properties("etcd.endpoints=" + endpoints, "spring.application.name=reports", "etcd.leader.enabled=true",
					"etcd.leader.ttl=2s", "etcd.leader.candidate-id=" + candidateId, "etcd.registry.enabled=false",
					// no gRPC server on either line
					"grpc.server.port=-1", "spring.grpc.server.enabled=false", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	/** The job only the leader runs. */
	public static class ReportJob {

		@EtcdLeaderOnly
		public Long write() {
			return EtcdLeadership.current().isValid() ? EtcdLeadership.current().token() : -1L;
		}

	}

	/** Puts this application's leadership events on the shared timeline. */
	public static class EventRecorder {

		@EventListener
		void granted(LeadershipGrantedEvent event) {
			timeline.add("granted " + event.getTerm().candidateId());
		}

		@EventListener
		void revoked(LeadershipRevokedEvent event) {
			timeline.add("revoked " + event.getTerm().candidateId());
		}

	}

}
