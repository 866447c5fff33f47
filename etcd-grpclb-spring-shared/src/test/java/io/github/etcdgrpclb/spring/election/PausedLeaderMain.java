package io.github.etcdgrpclb.spring.election;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * A {@link LeaderApplication} in its own JVM whose leader-only job is called every 50 ms, for tests
 * that stop the JVM. Args: endpoints, candidate id. Prints "RAN <wall millis when the call began>
 * <token>" when the job ran, "SKIPPED <wall millis>" when it did not.
 */
public final class PausedLeaderMain {

	private PausedLeaderMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		ConfigurableApplicationContext context = LeaderApplication.start(args[0], args[1]);
		LeaderApplication.ReportJob job = context.getBean(LeaderApplication.ReportJob.class);
		while (true) {
			long started = System.currentTimeMillis();
			Long token = job.write();
			System.out.println((token != null) ? "RAN " + started + " " + token : "SKIPPED " + started);
			System.out.flush();
			Thread.sleep(50);
		}
	}

}
