package io.github.etcdgrpclb.config;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdgrpclb.etcd.EtcdErrors;

/**
 * Reads configuration folders, all of them in one transaction so that they are at one revision
 * (a change that touched two folders is seen in both or in neither).
 */
public final class ConfigFolderReader {

	private ConfigFolderReader() {
	}

	/**
	 * @param client the etcd client
	 * @param folders key prefixes, each ending in {@code /}
	 * @param timeout how long to wait for etcd
	 * @return one snapshot per folder, in the order asked
	 * @throws ConfigReadException when etcd does not answer in time or refuses
	 */
	public static List<ConfigFolderSnapshot> read(Client client, List<String> folders, Duration timeout) {
		GetOption prefix = GetOption.builder().isPrefix(true).build();
		Op[] gets = folders.stream().map((folder) -> Op.get(bytes(folder), prefix)).toArray(Op[]::new);
		TxnResponse response;
		try {
			response = client.getKVClient().txn().Then(gets).commit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ConfigReadException("Interrupted while reading " + String.join(", ", folders) + " from etcd", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new ConfigReadException(
					"Cannot read " + String.join(", ", folders) + " from etcd: " + EtcdErrors.describe(ex), ex);
		}
		long revision = response.getHeader().getRevision();
		List<ConfigFolderSnapshot> snapshots = new ArrayList<>(folders.size());
		for (int i = 0; i < folders.size(); i++) {
			snapshots.add(new ConfigFolderSnapshot(folders.get(i), revision,
					entries(folders.get(i), response.getGetResponses().get(i))));
		}
		return snapshots;
	}

	static SortedMap<String, String> entries(String folder, GetResponse response) {
		SortedMap<String, String> entries = new TreeMap<>();
		for (KeyValue kv : response.getKvs()) {
			entries.put(text(kv.getKey()).substring(folder.length()), text(kv.getValue()));
		}
		return entries;
	}

}
