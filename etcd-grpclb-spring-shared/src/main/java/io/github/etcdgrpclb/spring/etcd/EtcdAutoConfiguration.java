package io.github.etcdgrpclb.spring.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.github.etcdgrpclb.etcd.EtcdConnectionVerifier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configuration of the jetcd {@link Client} that every other
 * feature of the starter (registry, discovery, locks, health) builds on.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration")
@ConditionalOnClass(Client.class)
@EnableConfigurationProperties(EtcdProperties.class)
public class EtcdAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	Client etcdClient(EtcdProperties properties, ObjectProvider<EtcdClientBuilderCustomizer> customizers,
			ObjectProvider<SslBundles> sslBundles, ResourceLoader resourceLoader) {
		EtcdClientBuilderFactory.checkClassPath(resourceLoader.getClassLoader());
		EtcdClientBuilderFactory factory = new EtcdClientBuilderFactory(properties, sslBundles.getIfAvailable());
		ClientBuilder builder = factory.create();
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		if (properties.isVerifyOnStartup()) {
			EtcdConnectionVerifier.verify(builder, factory.describeEndpoints(), properties.getConnectTimeout());
		}
		return builder.build();
	}

	/** Reports misspelt etcd.* properties at startup (etcd.unknown-properties). */
	@Bean
	@ConditionalOnMissingBean
	UnknownEtcdProperties unknownEtcdProperties(ConfigurableEnvironment environment) {
		return new UnknownEtcdProperties(environment);
	}

}
