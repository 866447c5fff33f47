package io.github.etcdgrpclb.config;

import java.time.Duration;

/**
 * How configuration folders are kept in step with etcd.
 *
 * @param requestTimeout how long one read of a folder may take
 * @param resyncInterval how often a folder is read in full, to catch a watch that went silent
 */
public record ConfigWatchSettings(Duration requestTimeout, Duration resyncInterval) {

	/** @return a 5 s request timeout and a full read every 5 minutes */
	public static ConfigWatchSettings defaults() {
		return new ConfigWatchSettings(Duration.ofSeconds(5), Duration.ofMinutes(5));
	}

}
