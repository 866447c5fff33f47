package io.github.etcdgrpclb.test;

import java.net.URI;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One member of a test etcd: a local process (or, where no binary exists, a container). Members can
 * be stopped, killed and started again on the same data and ports, which is what failover tests need.
 */
public abstract class EtcdMember {

	private final String name;

	EtcdMember(String name) {
		this.name = name;
	}

	/** @return the member's name in the cluster */
	public String name() {
		return this.name;
	}

	/** @return the member's client URL, e.g. {@code http://127.0.0.1:40123} */
	public abstract URI clientEndpoint();

	/** Starts the member (again), keeping its data directory and ports, and waits until it serves. */
	public abstract void start();

	/** Stops the member gracefully (SIGTERM) and waits for it to exit. */
	public abstract void stop();

	/** Kills the member (SIGKILL) and waits for it to exit: no goodbye to its peers or clients. */
	public abstract void kill();

	/**
	 * Stops the member and deletes its data: the next {@link #start()} serves an empty etcd whose
	 * revisions begin at 1 again, as after a rebuilt cluster or a restore from an older backup.
	 */
	public abstract void wipe();

	/** Freezes the member (SIGSTOP): its sockets stay open but nothing answers, like a partition. */
	public abstract void pause();

	/** Thaws a paused member (SIGCONT). */
	public abstract void resume();

	/** @return whether the member process is alive */
	public abstract boolean isRunning();

	/**
	 * Reads one unlabelled sample of the member's Prometheus page, such as
	 * {@code etcd_debugging_mvcc_watch_stream_total} (the watch streams it serves).
	 * @param name the metric's name
	 * @return its value, or empty when the page has no unlabelled sample of that name
	 * @throws IllegalStateException when the page cannot be read, saying whether the member still runs
	 */
	public OptionalDouble metric(String name) {
		Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metricsPage());
		return sample.find() ? OptionalDouble.of(Double.parseDouble(sample.group(1))) : OptionalDouble.empty();
	}

	/** @return the member's {@code /metrics} page */
	abstract String metricsPage();

	/** @return the member's raw {@code /v3/maintenance/status} JSON */
	abstract String status();

	abstract void awaitReady(Duration timeout);

	@Override
	public String toString() {
		return this.name + "@" + clientEndpoint();
	}

}
