package io.github.etcdgrpclb.support.nemesis;

import static io.github.etcdgrpclb.support.nemesis.ActorClients.record;

import java.time.Duration;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.election.EtcdLeaderElection;
import io.github.etcdgrpclb.election.LeadershipListener;
import io.github.etcdgrpclb.election.LeadershipTerm;
import io.github.etcdgrpclb.support.FencedStore;

/**
 * A leader candidate for the nemesis, in its own JVM: while it holds a valid term it writes to a
 * {@link FencedStore} with the term's token every 50 ms (leader-only work). Args: endpoints, election,
 * lease TTL seconds, store name, candidate id. History lines (wall millis): "GRANTED <token> <t>",
 * "REVOKED <token> <t>", "WRITE <token> <accepted> <begun t>".
 */
public final class LeaderCandidateMain {

	private LeaderCandidateMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		Client client = ActorClients.client(args[0]);
		FencedStore store = new FencedStore(client, args[3]);
		EtcdLeaderElection election = new EtcdLeaderElection(client, args[1], args[4],
				Duration.ofSeconds(Long.parseLong(args[2])), new LeadershipListener() {

					@Override
					public void granted(LeadershipTerm term) {
						record("GRANTED " + term.token() + " " + System.currentTimeMillis());
					}

					@Override
					public void revoked(LeadershipTerm term, String reason) {
						record("REVOKED " + term.token() + " " + System.currentTimeMillis());
					}

				});
		election.start();
		while (true) {
			LeadershipTerm term = election.term();
			if (term != null) {
				long begun = System.currentTimeMillis();
				try {
					record("WRITE " + term.token() + " " + store.write(term.token(), args[4], term.leadership()) + " " + begun);
				}
				catch (RuntimeException ex) {
					record("ERROR " + System.currentTimeMillis() + " " + ex);
				}
			}
			Thread.sleep(50);
		}
	}

}
