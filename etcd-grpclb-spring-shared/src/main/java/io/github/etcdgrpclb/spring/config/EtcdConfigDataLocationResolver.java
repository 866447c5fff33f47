package io.github.etcdgrpclb.spring.config;

import java.util.List;

import io.github.etcdgrpclb.spring.etcd.DurationChecks;
import io.github.etcdgrpclb.spring.etcd.EtcdProperties;
import org.apache.commons.logging.Log;

import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataLocationResolver;
import org.springframework.boot.context.config.ConfigDataLocationResolverContext;
import org.springframework.boot.context.config.Profiles;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;

/**
 * Resolves {@code spring.config.import=etcd:} (root {@code /config}) and {@code etcd:/my/root/} into
 * the folders of {@link ConfigFolders}. Everything is resolved once the profiles are known, so that
 * the application's plain folder can win over the shared profile folders (Spring Cloud Consul's
 * precedence) instead of every profile folder winning over every plain one.
 */
public class EtcdConfigDataLocationResolver implements ConfigDataLocationResolver<EtcdConfigDataResource> {

	static final String PREFIX = "etcd:";

	private final Log logger;

	public EtcdConfigDataLocationResolver(DeferredLogFactory logs) {
		this.logger = logs.getLog(EtcdConfigDataLocationResolver.class);
	}

	@Override
	public boolean isResolvable(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
		return location.hasPrefix(PREFIX);
	}

	@Override
	public List<EtcdConfigDataResource> resolve(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
		return List.of();
	}

	@Override
	public List<EtcdConfigDataResource> resolveProfileSpecific(ConfigDataLocationResolverContext context,
			ConfigDataLocation location, Profiles profiles) {
		Binder binder = context.getBinder();
		EtcdProperties etcd = binder.bindOrCreate("etcd", EtcdProperties.class);
		EtcdConfigProperties settings = binder.bindOrCreate("etcd.config", EtcdConfigProperties.class);
		DurationChecks.positive("etcd.config.timeout", settings.getTimeout());
		String name = (settings.getName() != null) ? settings.getName()
				: binder.bind("spring.application.name", String.class).orElse(null);
		if (name == null) {
			this.logger.warn("Neither etcd.config.name nor spring.application.name is set: " + location
					+ " imports only the shared folders (etcd.config.shared-name)");
		}
		String root = ConfigFolders.root(location.getNonPrefixedValue(PREFIX));
		List<String> folders = ConfigFolders.of(root, settings, name, profiles.getAccepted());
		return List.of(new EtcdConfigDataResource(location.toString(), location.isOptional(), folders, etcd, settings));
	}

}
