package io.github.etcdgrpclb.lock;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;

/**
 * etcd's {@code concurrency.Mutex} protocol, client side: a lock's waiters are its keys under
 * {@code <name>/}, ordered by create revision; the owner is the oldest. Joining the queue and
 * reading it is one transaction; a waiter then waits, through the template's shared
 * {@link DeletionWatch}, for every older key to go, and reads the queue again only when the watch
 * cannot vouch for a deletion.
 */
final class MutexQueue {

	private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final Client client;

	private final DeletionWatch deletions;

	MutexQueue(Client client, DeletionWatch deletions) {
		this.client = client;
		this.deletions = deletions;
	}

	/**
	 * Puts our key if absent and reads the queue in one transaction (Go's Mutex.tryAcquire); when
	 * older keys are queued, waits for all of them to go (Go's waitDeletes).
	 * @return our key's create revision (the fencing token)
	 */
	long enqueue(String myKey, LockSession session, LockAttempt attempt) throws InterruptedException {
		String name = attempt.name();
		ByteSequence key = bytes(myKey);
		Op queue = Op.get(bytes(name + "/"), GetOption.builder()
			.isPrefix(true)
			.withKeysOnly(true)
			.withSortField(GetOption.SortTarget.CREATE)
			.withSortOrder(GetOption.SortOrder.ASCEND)
			.build());
		TxnResponse txn = attempt.await(this.client.getKVClient()
			.txn()
			.If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
			.Then(Op.put(key, ByteSequence.EMPTY, PutOption.builder().withLeaseId(session.leaseId()).build()), queue)
			.Else(Op.get(key, GetOption.DEFAULT), queue)
			.commit());
		List<GetResponse> reads = txn.getGetResponses();
		long myRevision = txn.isSucceeded() ? txn.getHeader().getRevision() : reads.get(0).getKvs().get(0).getCreateRevision();
		List<ByteSequence> predecessors = olderThan(reads.get(reads.size() - 1).getKvs(), myRevision);
		long readRevision = txn.getHeader().getRevision();
		while (!predecessors.isEmpty()) {
			if (awaitDeletions(key, predecessors, readRevision, attempt)) {
				break;
			}
			// The watch could not vouch for every deletion: read the queue again.
			TxnResponse check = attempt.await(this.client.getKVClient()
				.txn()
				.If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(myRevision)))
				.Then(queue)
				.commit());
			if (!check.isSucceeded()) {
				throw leaseLostWhileWaiting(attempt);
			}
			predecessors = olderThan(check.getGetResponses().get(0).getKvs(), myRevision);
			readRevision = check.getHeader().getRevision();
		}
		return myRevision;
	}

	private static List<ByteSequence> olderThan(List<KeyValue> queue, long myRevision) {
		return queue.stream().filter((kv) -> kv.getCreateRevision() < myRevision).map(KeyValue::getKey).toList();
	}

	/**
	 * Waits, through the shared watch, for every key queued before ours to be deleted. No key can
	 * join the queue before ours later, so once they are gone the lock is ours without another read.
	 * @return true when all were seen deleted; false when the caller should read the queue again
	 * @throws LockNotAcquiredException at the deadline, or when our own key is deleted (lease lost)
	 */
	private boolean awaitDeletions(ByteSequence myKey, List<ByteSequence> predecessors, long readRevision,
			LockAttempt attempt) throws InterruptedException {
		CompletableFuture<Boolean> mine = this.deletions.deletion(myKey, readRevision);
		Map<ByteSequence, CompletableFuture<Boolean>> pending = new HashMap<>();
		predecessors.forEach((key) -> pending.put(key, this.deletions.deletion(key, readRevision)));
		try {
			while (!pending.isEmpty()) {
				long remaining = attempt.remainingNanos();
				if (remaining <= 0) {
					throw attempt.failed(null);
				}
				List<CompletableFuture<Boolean>> any = new ArrayList<>(pending.values());
				any.add(mine);
				try {
					// Reading again now and then bounds the wait should a deletion ever slip by the watch.
					CompletableFuture.anyOf(any.toArray(CompletableFuture[]::new))
						.get(Math.min(remaining, RECHECK_NANOS), TimeUnit.NANOSECONDS);
				}
				catch (TimeoutException ex) {
					return false;
				}
				catch (ExecutionException ex) {
					throw attempt.failed(ex.getCause());
				}
				if (mine.isDone()) {
					if (mine.join()) {
						throw leaseLostWhileWaiting(attempt);
					}
					return false;
				}
				for (var entry : List.copyOf(pending.entrySet())) {
					if (entry.getValue().isDone()) {
						if (!entry.getValue().join()) {
							return false;
						}
						pending.remove(entry.getKey());
					}
				}
			}
			return true;
		}
		finally {
			this.deletions.forget(myKey, mine);
			pending.forEach(this.deletions::forget);
		}
	}

	private static LockNotAcquiredException leaseLostWhileWaiting(LockAttempt attempt) {
		return attempt.failed(new IllegalStateException("its lease was lost while waiting (its queued key is gone)"));
	}

}
