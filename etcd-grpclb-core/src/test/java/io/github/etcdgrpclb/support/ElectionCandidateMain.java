package io.github.etcdgrpclb.support;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.election.EtcdLeaderElection;
import io.github.etcdgrpclb.election.LeadershipListener;
import io.github.etcdgrpclb.election.LeadershipTerm;

/**
 * Campaigns in its own JVM until killed. Args: endpoints, election, candidate id, lease TTL seconds.
 * Prints "LEADING <token>" once it leads.
 */
public final class ElectionCandidateMain {

	private ElectionCandidateMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		Client client = Client.builder().endpoints(args[0].split(",")).build();
		EtcdLeaderElection election = new EtcdLeaderElection(client, args[1], args[2],
				Duration.ofSeconds(Long.parseLong(args[3])), new LeadershipListener() {

					@Override
					public void granted(LeadershipTerm term) {
						System.out.println("LEADING " + term.token());
						System.out.flush();
					}

				});
		election.start();
		new CountDownLatch(1).await();
	}

}
