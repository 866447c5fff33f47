package io.github.etcdgrpclb.support.nemesis;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;

/**
 * The mutual-exclusion check of a lock's or an election's history, in etcd's own order (Jepsen's
 * mutex check, with revisions for time): every write the fenced store accepted, with token t at
 * revision r, must fall inside the reign of t's key: that key still existed at r, and every key queued
 * before it was gone by r. A write by a holder whose lease had expired, or by two holders at once,
 * breaks it.
 */
public final class FencingChecker {

	/**
	 * One accepted write of the store's log.
	 * @param token the writer's token
	 * @param revision where etcd put it
	 * @param writer who wrote it
	 */
	public record Write(long token, long revision, String writer) {
	}

	private FencingChecker() {
	}

	/** @return the writes the store accepted, in etcd's order */
	public static List<Write> acceptedWrites(Client client, String logPrefix) throws Exception {
		List<Write> writes = new ArrayList<>();
		for (KeyValue kv : client.getKVClient()
			.get(bytes(logPrefix), GetOption.builder().isPrefix(true).withSortField(GetOption.SortTarget.MOD)
				.withSortOrder(GetOption.SortOrder.ASCEND).build())
			.get(30, TimeUnit.SECONDS)
			.getKvs()) {
			String name = text(kv.getKey()).substring(logPrefix.length());
			writes.add(new Write(Long.parseLong(name.substring(0, name.indexOf('-'))), kv.getModRevision(),
					text(kv.getValue())));
		}
		return writes;
	}

	/**
	 * @param what what is checked, for the messages
	 * @param writes the store's accepted writes
	 * @param keys the lock's or election's key history
	 * @return the violations, empty when the history is sound
	 */
	public static List<String> check(String what, List<Write> writes, KeyHistory keys) {
		List<String> violations = new ArrayList<>();
		if (keys.gap() != null) {
			violations.add(what + ": the key history has a gap (" + keys.gap() + "): cannot be checked");
			return violations;
		}
		Map<Long, Long> lifetimes = keys.lifetimes();
		long lastToken = 0;
		for (Write write : writes) {
			Long deleted = lifetimes.get(write.token());
			if (deleted == null) {
				violations.add(what + ": " + write + " carries a token no key of the history was created at");
				continue;
			}
			if (deleted <= write.revision()) {
				violations.add(what + ": " + write + " was accepted after its key was gone (revision " + deleted + ")");
			}
			lifetimes.forEach((created, gone) -> {
				if (created < write.token() && gone > write.revision()) {
					violations.add(what + ": " + write + " was accepted while an older key (token " + created
							+ ") still held it");
				}
			});
			if (write.token() < lastToken) {
				violations.add(what + ": " + write + " came after a write with token " + lastToken);
			}
			lastToken = Math.max(lastToken, write.token());
		}
		return violations;
	}

}
