package io.github.etcdgrpclb.spring.config;

import java.util.ArrayList;
import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.config.ConfigFolderReader;
import io.github.etcdgrpclb.config.ConfigFolderSnapshot;
import io.github.etcdgrpclb.config.ConfigReadException;
import io.github.etcdgrpclb.etcd.EtcdConnectionVerifier;
import io.github.etcdgrpclb.spring.etcd.EtcdClientBuilderFactory;
import io.github.etcdgrpclb.spring.etcd.InvalidEtcdPropertyException;
import org.apache.commons.logging.Log;

import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;
import org.springframework.boot.logging.DeferredLogFactory;

/**
 * Reads the folders of an {@code etcd:} import, all in one transaction, with a short-lived client
 * of its own (the application's client does not exist yet; the running application watches the
 * folders with it from the revision read here + 1, so nothing in between is lost). etcd not
 * answering fails startup, or, for {@code optional:etcd:}, leaves the folders empty until the
 * watch reads them. Credentials or TLS that etcd rejects fail startup either way.
 */
public class EtcdConfigDataLoader implements ConfigDataLoader<EtcdConfigDataResource> {

	private final Log logger;

	public EtcdConfigDataLoader(DeferredLogFactory logs) {
		this.logger = logs.getLog(EtcdConfigDataLoader.class);
	}

	@Override
	public ConfigData load(ConfigDataLoaderContext context, EtcdConfigDataResource resource) {
		if (resource.etcd().getTls().getBundle() != null) {
			throw new InvalidEtcdPropertyException("etcd.tls.bundle", resource.etcd().getTls().getBundle(),
					"SSL bundles do not exist yet when spring.config.import reads etcd",
					"Give the certificates with etcd.tls.trust-certificate (and etcd.tls.certificate and "
							+ "etcd.tls.private-key for mutual TLS) instead of etcd.tls.bundle.");
		}
		EtcdClientBuilderFactory.checkClassPath(EtcdConfigDataLoader.class.getClassLoader());
		EtcdClientBuilderFactory factory = new EtcdClientBuilderFactory(resource.etcd(), null);
		List<ConfigFolderSnapshot> snapshots;
		try (Client client = factory.create().waitForReady(false).build()) {
			snapshots = ConfigFolderReader.read(client, resource.folders(), resource.settings().getTimeout());
		}
		catch (ConfigReadException ex) {
			EtcdConnectionVerifier.throwIfRejected(ex.getCause(), factory.describeEndpoints());
			if (!resource.optional()) {
				throw new EtcdConfigUnavailableException(resource.location(), factory.describeEndpoints(), ex);
			}
			this.logger.warn(ex.getMessage() + "; starting with the local configuration (" + resource.location()
					+ " is optional): etcd's values are applied once it answers");
			snapshots = resource.folders().stream().map(ConfigFolderSnapshot::unread).toList();
		}
		List<EtcdConfigPropertySource> sources = new ArrayList<>();
		for (ConfigFolderSnapshot snapshot : snapshots) {
			sources.add(new EtcdConfigPropertySource(snapshot));
		}
		// Lowest precedence first: ConfigData takes its sources in ascending priority order.
		return new ConfigData(sources);
	}

}
