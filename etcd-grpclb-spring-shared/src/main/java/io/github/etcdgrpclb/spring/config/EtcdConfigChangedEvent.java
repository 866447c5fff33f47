package io.github.etcdgrpclb.spring.config;

import java.util.Set;

import org.springframework.context.ApplicationEvent;

/**
 * Published after a change of an imported etcd folder reached the Environment and the
 * {@code @ConfigurationProperties} beans were rebound. Lists property names, never values (they may
 * be secrets): read the values from the Environment or the beans.
 */
public class EtcdConfigChangedEvent extends ApplicationEvent {

	private final String folder;

	private final long revision;

	private final Set<String> changedProperties;

	private final Set<String> rejectedBeans;

	public EtcdConfigChangedEvent(Object source, String folder, long revision, Set<String> changedProperties,
			Set<String> rejectedBeans) {
		super(source);
		this.folder = folder;
		this.revision = revision;
		this.changedProperties = Set.copyOf(changedProperties);
		this.rejectedBeans = Set.copyOf(rejectedBeans);
	}

	/** @return the folder that changed, e.g. {@code /config/orders/} */
	public String getFolder() {
		return this.folder;
	}

	/** @return the etcd revision of the change */
	public long getRevision() {
		return this.revision;
	}

	/** @return the properties added, removed or given another value */
	public Set<String> getChangedProperties() {
		return this.changedProperties;
	}

	/** @return the beans that kept their old values because the new ones did not bind or validate */
	public Set<String> getRejectedBeans() {
		return this.rejectedBeans;
	}

}
