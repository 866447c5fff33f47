package io.github.etcdgrpclb.sample.server;

import io.github.etcdgrpclb.lock.LockNotAcquiredException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Asks for the report on every server, every {@code sample.report.interval} ({@link ReportTimer}), and
 * lets the etcd lock pick one writer per round. With {@code --etcd.leader.enabled=true} the leader
 * writes instead ({@link LeaderReport}).
 */
@Component
@ConditionalOnProperty(prefix = "etcd.leader", name = "enabled", havingValue = "false", matchIfMissing = true)
class ReportSchedule {

	private static final Logger logger = LoggerFactory.getLogger(ReportSchedule.class);

	private final ReportWriter writer;

	ReportSchedule(ReportWriter writer) {
		this.writer = writer;
	}

	void tick() {
		try {
			this.writer.write();
		}
		catch (LockNotAcquiredException ex) {
			logger.debug("Another server is writing the report: {}", ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
