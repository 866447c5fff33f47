package io.github.etcdgrpclb.config;

/** Told about each change of a watched configuration folder. */
@FunctionalInterface
public interface ConfigChangeListener {

	/**
	 * Called on the watcher's thread, one change at a time, only when the folder's keys or values
	 * differ from the last snapshot delivered (or read at startup).
	 * @param snapshot every key of the folder after the change
	 */
	void onChange(ConfigFolderSnapshot snapshot);

}
