package io.github.etcdgrpclb.config;

import java.time.Instant;

/**
 * What is known of one watched configuration folder, for the actuator endpoint.
 *
 * @param folder the folder's key prefix
 * @param revision the etcd revision its values are at (0: etcd never answered)
 * @param keys how many keys the folder holds
 * @param lastChange when a change was last seen after startup (null: none yet)
 * @param connected whether the last read or watch of the folder reached etcd
 * @param lastError why etcd was last not reached (null once it answers again)
 */
public record ConfigFolderStatus(String folder, long revision, int keys, Instant lastChange, boolean connected,
		String lastError) {

	ConfigFolderStatus disconnected(String reason) {
		return new ConfigFolderStatus(this.folder, this.revision, this.keys, this.lastChange, false, reason);
	}

}
