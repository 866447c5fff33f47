package io.github.etcdgrpclb.spring.lock;

import java.time.Duration;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.lock.EtcdLockListener;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.spring.etcd.DurationChecks;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.KeyPrefixes;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of etcd locks: {@link EtcdLockTemplate} and the advisor that runs
 * {@link EtcdLock @EtcdLock} methods under their lock.
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class)
@ConditionalOnClass({ Client.class, Advisor.class })
@ConditionalOnBean(Client.class)
@ConditionalOnProperty(prefix = "etcd.lock", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(EtcdLockProperties.class)
public class EtcdLockAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdLockTemplate etcdLockTemplate(Client client, EtcdLockProperties properties,
			ObjectProvider<EtcdLockListener> listeners) {
		return new EtcdLockTemplate(client, KeyPrefixes.normalize("etcd.lock.prefix", properties.getPrefix()),
				leaseTtl(properties.getLeaseTtl()), new CompositeLockListener(listeners.orderedStream().toList()));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static LockedMethods etcdLockedMethods(Environment environment) {
		// Advisors and their collaborators are created before configuration properties beans: bind here.
		EtcdLockProperties properties = Binder.get(environment).bindOrCreate("etcd.lock", EtcdLockProperties.class);
		return new LockedMethods(waitTime(properties.getWaitTime()), leaseTtl(properties.getLeaseTtl()));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor etcdLockAdvisor(ObjectProvider<EtcdLockTemplate> template, LockedMethods etcdLockedMethods) {
		return new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(EtcdLock.class),
				new EtcdLockInterceptor(template, etcdLockedMethods));
	}

	@Bean
	static EtcdLockMethodsCheck etcdLockMethodsCheck(ListableBeanFactory beans, LockedMethods etcdLockedMethods) {
		return new EtcdLockMethodsCheck(beans, etcdLockedMethods);
	}

	static Duration leaseTtl(Duration ttl) {
		return DurationChecks.leaseTtl("etcd.lock.lease-ttl", ttl, "Set etcd.lock.lease-ttl to 2s or more (default 10s).");
	}

	static Duration waitTime(Duration waitTime) {
		return DurationChecks.notNegative("etcd.lock.wait-time", waitTime,
				"Set etcd.lock.wait-time to 0 (try once) or more (default 5s).");
	}

}
