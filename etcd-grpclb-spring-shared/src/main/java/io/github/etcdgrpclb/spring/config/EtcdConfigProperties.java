package io.github.etcdgrpclb.spring.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * etcd as a configuration centre ({@code etcd.config.*}), used with {@code spring.config.import=etcd:}
 * (or {@code optional:etcd:}, or {@code etcd:/my/root/}). The folders imported, lowest precedence
 * first: {@code <root>/<shared-name>/}, {@code <root>/<shared-name>,<profile>/}, {@code <root>/<name>/},
 * {@code <root>/<name>,<profile>/}. Read before the application context exists, from the same sources
 * as {@code etcd.endpoints} and the rest of the connection settings.
 */
@ConfigurationProperties("etcd.config")
public class EtcdConfigProperties {

	/**
	 * Folder of this application's keys under the imported root. Defaults to
	 * spring.application.name; without either, only the shared folders are imported.
	 */
	private String name;

	/**
	 * Folder of the keys that every application importing the root shares.
	 */
	private String sharedName = "application";

	/**
	 * Separator between a folder name and a profile in profile-specific folders
	 * ('orders,prod').
	 */
	private String profileSeparator = ",";

	/**
	 * How long startup waits for etcd to answer the read of the imported folders. When it does
	 * not, startup fails, or, for an optional import, goes on with the local configuration.
	 */
	private Duration timeout = Duration.ofSeconds(5);

	/**
	 * How often each imported folder is read in full while it is watched, to catch a watch that
	 * went silent.
	 */
	private Duration resyncInterval = Duration.ofMinutes(5);

	private final Watch watch = new Watch();

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public String getSharedName() {
		return this.sharedName;
	}

	public void setSharedName(String sharedName) {
		this.sharedName = sharedName;
	}

	public String getProfileSeparator() {
		return this.profileSeparator;
	}

	public void setProfileSeparator(String profileSeparator) {
		this.profileSeparator = profileSeparator;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getResyncInterval() {
		return this.resyncInterval;
	}

	public void setResyncInterval(Duration resyncInterval) {
		this.resyncInterval = resyncInterval;
	}

	public Watch getWatch() {
		return this.watch;
	}

	/** Live refresh. */
	public static class Watch {

		/**
		 * Whether changes in etcd reach the running application: the Environment, rebound
		 * @ConfigurationProperties beans and an EtcdConfigChangedEvent (one watch per imported
		 * folder). Off: etcd's values are read once, at startup.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
