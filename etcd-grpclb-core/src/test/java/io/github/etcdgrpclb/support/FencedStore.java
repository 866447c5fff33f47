package io.github.etcdgrpclb.support;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;

/**
 * The "other system" a lock holder or a leader writes to, as the README advises: every write carries
 * the writer's fencing token, and the store refuses a write whose token is lower than one it already
 * accepted, in one etcd transaction (tokens zero-padded, so that etcd's byte order is number order).
 * A deposed holder's late write is then refused once its successor wrote. A store in etcd itself can
 * do better, and the nemesis's stores do: a write may also be guarded by the lock's
 * {@code ownership()} or the term's {@code leadership()}, and is then refused the moment the writer's
 * key is gone, before any successor wrote. Each accepted write also puts an entry in the store's log,
 * {@code /fenced/<name>/log/<token>-<writer>-<n>}, whose mod revision says where the write falls in
 * etcd's order: a history checker compares it with the revisions at which the locks' and terms' keys
 * came and went.
 */
public final class FencedStore {

	private static final String NO_TOKEN = String.format("%019d", 0);

	private final Client client;

	private final ByteSequence tokenKey;

	private final ByteSequence valueKey;

	private final String logPrefix;

	private final AtomicLong writes = new AtomicLong();

	private volatile boolean initialized;

	public FencedStore(Client client, String name) {
		this.client = client;
		this.tokenKey = bytes("/fenced/" + name + "/token");
		this.valueKey = bytes("/fenced/" + name + "/value");
		this.logPrefix = "/fenced/" + name + "/log/";
	}

	/**
	 * @param token the writer's fencing token
	 * @param value what it writes
	 * @param guards further conditions etcd must find true (a lock's ownership, a term's leadership)
	 * @return whether the store accepted it (no higher token was accepted before, every guard held)
	 */
	public boolean write(long token, String value, Cmp... guards) {
		List<Cmp> conditions = new ArrayList<>(List.of(guards));
		conditions.add(new Cmp(this.tokenKey, Cmp.Op.LESS, CmpTarget.value(bytes(padded(token + 1)))));
		try {
			initialize();
			TxnResponse txn = this.client.getKVClient()
				.txn()
				.If(conditions.toArray(Cmp[]::new))
				.Then(Op.put(this.tokenKey, bytes(padded(token)), PutOption.DEFAULT),
						Op.put(this.valueKey, bytes(value), PutOption.DEFAULT),
						Op.put(bytes(this.logPrefix + token + "-" + value.replace('/', '_') + "-" + this.writes.incrementAndGet()),
								bytes(value), PutOption.DEFAULT))
				.commit()
				.get(5, TimeUnit.SECONDS);
			return txn.isSucceeded();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Fenced write failed", ex);
		}
	}

	/**
	 * Puts the lowest token unless some token is there already: etcd fails every comparison of a
	 * missing key's value, which would refuse the first write.
	 */
	private void initialize() throws Exception {
		if (this.initialized) {
			return;
		}
		this.client.getKVClient()
			.txn()
			.If(new Cmp(this.tokenKey, Cmp.Op.EQUAL, CmpTarget.version(0)))
			.Then(Op.put(this.tokenKey, bytes(NO_TOKEN), PutOption.DEFAULT))
			.commit()
			.get(5, TimeUnit.SECONDS);
		this.initialized = true;
	}

	private static String padded(long token) {
		return String.format("%019d", token);
	}

	/** @return the log prefix of this store's accepted writes */
	public String logPrefix() {
		return this.logPrefix;
	}

	/** @return the last value accepted, or null */
	public String value() {
		try {
			var kvs = this.client.getKVClient().get(this.valueKey).get(5, TimeUnit.SECONDS).getKvs();
			return kvs.isEmpty() ? null : text(kvs.get(0).getValue());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
