package io.github.etcdgrpclb.console;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The console's own settings ({@code console.*}); etcd itself is reached with the starter's
 * {@code etcd.*} properties, and the registry, election and lock prefixes are the applications'.
 */
@ConfigurationProperties("console")
public class ConsoleProperties {

	/**
	 * Key prefix of the configuration centre: the root the applications import with
	 * spring.config.import=etcd:<prefix>; each folder below it is shown with its keys.
	 */
	private String configPrefix = "/config";

	public String getConfigPrefix() {
		return this.configPrefix;
	}

	public void setConfigPrefix(String configPrefix) {
		this.configPrefix = configPrefix;
	}

}
