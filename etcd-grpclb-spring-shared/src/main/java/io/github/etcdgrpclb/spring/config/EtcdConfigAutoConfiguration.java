package io.github.etcdgrpclb.spring.config;

import static io.github.etcdgrpclb.spring.etcd.DurationChecks.positive;

import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.config.ConfigWatchSettings;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Live refresh of the configuration imported with {@code spring.config.import=etcd:}: present only
 * when the Environment holds etcd property sources, and unless {@code etcd.config.watch.enabled=false};
 * {@code @RefreshScope} beans refresh too when Spring Cloud's context module is there.
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class,
		afterName = "org.springframework.cloud.autoconfigure.RefreshAutoConfiguration")
@ConditionalOnClass(Client.class)
@ConditionalOnBean(Client.class)
@Conditional(OnEtcdConfigImportCondition.class)
@EnableConfigurationProperties(EtcdConfigProperties.class)
public class EtcdConfigAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "etcd.config.watch", name = "enabled", matchIfMissing = true)
	EtcdConfigRefresher etcdConfigRefresher(ApplicationContext context, ConfigurableEnvironment environment,
			Client client, EtcdConfigProperties properties) {
		ConfigWatchSettings settings = new ConfigWatchSettings(positive("etcd.config.timeout", properties.getTimeout()),
				positive("etcd.config.resync-interval", properties.getResyncInterval()));
		return new EtcdConfigRefresher(context, client, settings, importedSources(environment));
	}

	/**
	 * With Spring Cloud's context module: its listeners get an {@code EnvironmentChangeEvent} for each
	 * change, and {@code @RefreshScope} beans follow etcd's changes too.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.cloud.context.scope.refresh.RefreshScope")
	static class RefreshScopeConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EnvironmentChangePublisher etcdEnvironmentChangePublisher(ApplicationEventPublisher publisher) {
			return new EnvironmentChangePublisher(publisher);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(RefreshScope.class)
		RefreshScopeRefresher etcdRefreshScopeRefresher(RefreshScope refreshScope) {
			return new RefreshScopeRefresher(refreshScope);
		}

	}

	static List<EtcdConfigPropertySource> importedSources(ConfigurableEnvironment environment) {
		return environment.getPropertySources()
			.stream()
			.filter(EtcdConfigPropertySource.class::isInstance)
			.map(EtcdConfigPropertySource.class::cast)
			.toList();
	}

}
