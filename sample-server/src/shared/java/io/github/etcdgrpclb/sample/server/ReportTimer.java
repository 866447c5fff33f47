package io.github.etcdgrpclb.sample.server;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import io.github.etcdgrpclb.spring.config.EtcdConfigChangedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Runs the report every {@code sample.report.interval}, and starts over with the new interval as soon
 * as it changes in etcd: the {@link EtcdConfigChangedEvent} example. With
 * {@code --etcd.leader.enabled=true} the leader writes the report ({@link LeaderReport}); otherwise
 * every server asks and the etcd lock picks one ({@link ReportSchedule}).
 */
@Component
class ReportTimer {

	private static final Logger logger = LoggerFactory.getLogger(ReportTimer.class);

	private final TaskScheduler scheduler;

	private final ReportProperties properties;

	private final Runnable report;

	private ScheduledFuture<?> scheduled;

	ReportTimer(TaskScheduler scheduler, ReportProperties properties, ObjectProvider<LeaderReport> leaderReport,
			ObjectProvider<ReportSchedule> lockedReport) {
		this.scheduler = scheduler;
		this.properties = properties;
		LeaderReport leader = leaderReport.getIfAvailable();
		this.report = (leader != null) ? leader::write : lockedReport.getObject()::tick;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		schedule();
	}

	@EventListener
	void configurationChanged(EtcdConfigChangedEvent event) {
		if (event.getChangedProperties().contains("sample.report.interval")) {
			logger.info("Report interval is now {} ms (changed in etcd)", this.properties.getInterval().toMillis());
			schedule();
		}
	}

	private synchronized void schedule() {
		if (this.scheduled != null) {
			this.scheduled.cancel(false);
		}
		Duration interval = this.properties.getInterval();
		this.scheduled = this.scheduler.scheduleWithFixedDelay(this.report, Instant.now().plus(interval), interval);
	}

}
