package io.github.etcdgrpclb.sample.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import io.github.etcdgrpclb.spring.lock.EtcdLock;
import io.github.etcdgrpclb.lock.EtcdLockContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The {@code @EtcdLock} example: a report that every server schedules ({@link ReportSchedule}) but
 * only one writes at a time across the cluster. {@code waitTime = "0"}: a server that finds the
 * lock taken gives up at once instead of queueing behind the one that writes.
 */
@Component
public class ReportWriter {

	private static final Logger logger = LoggerFactory.getLogger(ReportWriter.class);

	private final Deque<Report> written = new ConcurrentLinkedDeque<>();

	private final Duration work;

	public ReportWriter(@Value("${sample.report.work:200ms}") Duration work) {
		this.work = work;
	}

	/** Runs on one server at a time; the token is what a store would use to refuse a stale writer. */
	@EtcdLock(key = "simple_grpc-report", waitTime = "0")
	public void write() throws InterruptedException {
		long token = EtcdLockContext.current().token();
		logger.info("Writing the report (lock token {})", token);
		Instant started = Instant.now();
		Thread.sleep(this.work.toMillis());
		this.written.addFirst(new Report(token, started, Instant.now()));
		while (this.written.size() > 100) {
			this.written.pollLast();
		}
	}

	/** @return the last reports this server wrote (at most 100), newest first */
	public List<Report> written() {
		return List.copyOf(this.written);
	}

	/**
	 * A written report.
	 * @param token the lock's fencing token
	 * @param started when writing started
	 * @param finished when it finished
	 */
	public record Report(long token, Instant started, Instant finished) {
	}

}
