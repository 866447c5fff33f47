package io.github.etcdgrpclb.spring.integration;

import java.time.Duration;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.spring.election.EtcdLeaderAutoConfiguration;
import io.github.etcdgrpclb.spring.election.EtcdLeaderProperties;
import io.github.etcdgrpclb.spring.etcd.DurationChecks;
import io.github.etcdgrpclb.spring.etcd.KeyPrefixes;
import io.github.etcdgrpclb.spring.lock.EtcdLockAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.event.DefaultLeaderEventPublisher;
import org.springframework.integration.leader.event.LeaderEventPublisher;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Spring Integration on the class path: its {@link LockRegistry} on etcd's locks (unless the
 * application has a LockRegistry of its own), and its single {@link Candidate} bean in an etcd
 * election of Go's layout (unless it runs an initiator of its own). Off with
 * {@code etcd.integration.enabled=false}.
 */
@AutoConfiguration(after = { EtcdLockAutoConfiguration.class, EtcdLeaderAutoConfiguration.class })
@ConditionalOnClass({ Client.class, LockRegistry.class })
@ConditionalOnBean(Client.class)
@ConditionalOnProperty(prefix = "etcd.integration", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(EtcdIntegrationProperties.class)
public class EtcdIntegrationAutoConfiguration {

	@Bean
	@ConditionalOnBean(EtcdLockTemplate.class)
	@ConditionalOnMissingBean(LockRegistry.class)
	EtcdLockRegistry etcdLockRegistry(EtcdLockTemplate etcdLockTemplate) {
		return new EtcdLockRegistry(etcdLockTemplate);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnSingleCandidate(Candidate.class)
	@ConditionalOnMissingBean({ EtcdLeaderInitiator.class, LockRegistryLeaderInitiator.class })
	@EnableConfigurationProperties(EtcdLeaderProperties.class)
	static class CandidateElection {

		@Bean
		EtcdLeaderInitiator etcdLeaderInitiator(Client client, Candidate candidate, EtcdLeaderProperties properties,
				ObjectProvider<LeaderEventPublisher> publisher, ApplicationEventPublisher events) {
			Duration ttl = DurationChecks.leaseTtl("etcd.leader.ttl", properties.getTtl(),
					"Set etcd.leader.ttl to 2s or more (default 10s); etcd counts lease TTLs in whole seconds.");
			EtcdLeaderInitiator initiator = new EtcdLeaderInitiator(client, candidate,
					KeyPrefixes.normalize("etcd.leader.prefix", properties.getPrefix()), ttl);
			initiator.setLeaderEventPublisher(publisher.getIfAvailable(() -> new DefaultLeaderEventPublisher(events)));
			return initiator;
		}

	}

}
