package io.github.etcdgrpclb.config;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The keys of one configuration folder as etcd held them at one revision.
 *
 * @param folder the folder's key prefix, ending in {@code /} (e.g. {@code /config/orders/})
 * @param revision the etcd revision the entries are at; 0 when etcd was never read
 * @param entries value (UTF-8) by key relative to the folder, in key order; unmodifiable
 */
public record ConfigFolderSnapshot(String folder, long revision, SortedMap<String, String> entries) {

	public ConfigFolderSnapshot {
		entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
	}

	/** @return a folder that etcd has not been asked for yet (it was unreachable) */
	public static ConfigFolderSnapshot unread(String folder) {
		return new ConfigFolderSnapshot(folder, 0, new TreeMap<>());
	}

	/** @return whether etcd has answered for this folder */
	public boolean isRead() {
		return this.revision > 0;
	}

}
