package io.github.etcdgrpclb.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.etcdgrpclb.election.EtcdLeaderElection;
import io.github.etcdgrpclb.election.LeadershipListener;
import io.github.etcdgrpclb.election.LeadershipTerm;
import io.github.etcdgrpclb.support.ElectionCandidateMain;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdCluster;

/**
 * Leader handover against a real etcd on loopback:
 * <ul>
 * <li>yield -> the other candidate's granted callback, N handovers between two candidates (default 200);</li>
 * <li>a leader process killed with SIGKILL -> the survivor's granted callback, with a 2 s TTL (5 runs).</li>
 * </ul>
 * Run: {@code mvn -q -pl benchmarks exec:java -Dexec.mainClass=io.github.etcdgrpclb.benchmarks.ElectionHandover}
 */
public final class ElectionHandover {

	private static final Duration TTL = Duration.ofSeconds(2);

	private ElectionHandover() {
	}

	public static void main(String[] args) throws Exception {
		int handovers = (args.length > 0) ? Integer.parseInt(args[0]) : 200;
		try (EtcdCluster etcd = EtcdCluster.startSingle(); RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			System.out.println("yield -> new leader granted: " + yieldHandover(raw, handovers).summary());
			System.out.println("SIGKILL -> survivor granted (TTL " + TTL.toSeconds() + " s): "
					+ killFailover(raw, etcd.endpoints(), 5).summary());
		}
	}

	private static Percentiles yieldHandover(RawEtcd raw, int handovers) throws Exception {
		LinkedBlockingQueue<Long> grants = new LinkedBlockingQueue<>();
		LeadershipListener recorder = new LeadershipListener() {

			@Override
			public void granted(LeadershipTerm term) {
				grants.add(System.nanoTime());
			}

		};
		EtcdLeaderElection a = new EtcdLeaderElection(raw.client(), "/election/bench", "a", TTL, recorder);
		EtcdLeaderElection b = new EtcdLeaderElection(raw.client(), "/election/bench", "b", TTL, recorder);
		try {
			a.start();
			b.start();
			grants.take();
			double[] millis = new double[handovers];
			for (int i = 0; i < handovers; i++) {
				EtcdLeaderElection leader = a.isLeader() ? a : b;
				EtcdLeaderElection other = (leader == a) ? b : a;
				waitUntil(() -> other.leader() != null && other.leader().equals(leader.candidateId()));
				long yielded = System.nanoTime();
				leader.yieldLeadership();
				long granted = grants.poll(10, TimeUnit.SECONDS);
				millis[i] = (granted - yielded) / 1e6;
			}
			return new Percentiles(millis);
		}
		finally {
			a.close();
			b.close();
		}
	}

	private static Percentiles killFailover(RawEtcd raw, String endpoints, int runs) throws Exception {
		double[] millis = new double[runs];
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		for (int i = 0; i < runs; i++) {
			String election = "/election/kill-" + i;
			File log = new File(System.getProperty("java.io.tmpdir"), "election-candidate-" + i + ".log");
			Process leader = new ProcessBuilder(java, "-cp", classPath(), ElectionCandidateMain.class.getName(),
					endpoints, election, "doomed", String.valueOf(TTL.toSeconds()))
				.redirectErrorStream(true)
				.redirectOutput(log)
				.start();
			// Output to a file, not a pipe: a child blocked on a full pipe would stop keeping its lease alive.
			waitUntil(() -> contains(log, "LEADING "));
			LinkedBlockingQueue<Long> grants = new LinkedBlockingQueue<>();
			EtcdLeaderElection survivor = new EtcdLeaderElection(raw.client(), election, "survivor", TTL,
					new LeadershipListener() {

						@Override
						public void granted(LeadershipTerm term) {
							grants.add(System.nanoTime());
						}

					});
			try {
				survivor.start();
				waitUntil(() -> "doomed".equals(survivor.leader()));
				leader.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				long killed = System.nanoTime();
				millis[i] = (grants.poll(30, TimeUnit.SECONDS) - killed) / 1e6;
			}
			finally {
				survivor.close();
				leader.destroyForcibly();
			}
		}
		return new Percentiles(millis);
	}

	private static boolean contains(File file, String text) {
		try {
			return Files.readString(file.toPath()).contains(text);
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** This harness's class path, also under exec:java (which loads the project in its own class loader). */
	private static String classPath() {
		if (ElectionHandover.class.getClassLoader() instanceof URLClassLoader loader) {
			return Arrays.stream(loader.getURLs())
				.map((url) -> new File(URI.create(url.toString())).getPath())
				.collect(Collectors.joining(File.pathSeparator));
		}
		return System.getProperty("java.class.path");
	}

	private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("condition not met in 10 s");
			}
			Thread.sleep(1);
		}
	}

}
