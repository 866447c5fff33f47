package io.github.etcdgrpclb.spring.election;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.election.EtcdLeaderElection;
import io.github.etcdgrpclb.registry.RegistrationStatus;
import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.spring.etcd.DurationChecks;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.InvalidEtcdPropertyException;
import io.github.etcdgrpclb.spring.etcd.KeyPrefixes;
import io.github.etcdgrpclb.spring.registry.EtcdRegistryAutoConfiguration;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Leader election ({@code etcd.leader.enabled=true}): the {@link EtcdLeadership} bean, and the advisor
 * that runs {@link EtcdLeaderOnly @EtcdLeaderOnly} methods only on the leader. The advisor exists
 * whenever etcd does, so that such a method never runs everywhere because the election is off.
 */
// EtcdRegistryAutoConfiguration is each Spring line's own, compiled beside this shared class under one name.
@AutoConfiguration(after = { EtcdAutoConfiguration.class, EtcdRegistryAutoConfiguration.class })
@ConditionalOnClass({ Client.class, Advisor.class })
@ConditionalOnBean(Client.class)
@EnableConfigurationProperties(EtcdLeaderProperties.class)
public class EtcdLeaderAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "etcd.leader", name = "enabled", havingValue = "true")
	EtcdLeadership etcdLeadership(Client client, EtcdLeaderProperties properties, Environment environment,
			ObjectProvider<ServerRegistry> registrations) {
		String election = KeyPrefixes.normalize("etcd.leader.prefix", properties.getPrefix()) + "/"
				+ name(properties, environment);
		Duration ttl = DurationChecks.leaseTtl("etcd.leader.ttl", properties.getTtl(),
				"Set etcd.leader.ttl to 2s or more (default 10s); etcd counts lease TTLs in whole seconds.");
		return new EtcdLeadership(election, (listener) -> new EtcdLeaderElection(client, election,
				candidateId(properties, registrations.getIfAvailable()), ttl, listener));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor etcdLeaderOnlyAdvisor(ObjectProvider<EtcdLeadership> leadership) {
		return new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(EtcdLeaderOnly.class),
				new EtcdLeaderOnlyInterceptor(leadership));
	}

	private static String name(EtcdLeaderProperties properties, Environment environment) {
		boolean own = StringUtils.hasText(properties.getName());
		String property = own ? "etcd.leader.name" : "spring.application.name";
		String name = own ? properties.getName() : environment.getProperty("spring.application.name");
		String action = "Set etcd.leader.name (or spring.application.name) to the election's name, e.g. "
				+ "etcd.leader.name=report-writer.";
		if (!StringUtils.hasText(name)) {
			throw new InvalidEtcdPropertyException("etcd.leader.name", "", "an election needs a name", action);
		}
		if (!name.trim().matches("[^\\s/]+")) {
			throw new InvalidEtcdPropertyException(property, name,
					"an election name must not contain '/' or white space (it is one segment of the etcd key)", action);
		}
		return name.trim();
	}

	/** The advertised host:port of this application's gRPC server, else host and process id. */
	private static String candidateId(EtcdLeaderProperties properties, ServerRegistry registrations) {
		if (StringUtils.hasText(properties.getCandidateId())) {
			return properties.getCandidateId().trim();
		}
		List<RegistrationStatus> statuses = (registrations != null) ? registrations.statuses() : List.of();
		if (!statuses.isEmpty()) {
			return statuses.get(0).registration().address();
		}
		return host() + "-" + ProcessHandle.current().pid();
	}

	private static String host() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return ManagementFactory.getRuntimeMXBean().getName();
		}
	}

}
