package io.github.etcdgrpclb.discovery;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** What the resolver logs while a test runs. */
final class ResolverLog implements AutoCloseable {

	private final Logger logger = (Logger) LoggerFactory.getLogger(EtcdNameResolver.class);

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private ResolverLog() {
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	static ResolverLog capture() {
		return new ResolverLog();
	}

	/** @return the formatted messages logged at the level, e.g. "WARN" */
	List<String> lines(String level) {
		List<ILoggingEvent> events;
		synchronized (this.appender) { // logback appends under the appender's lock
			events = List.copyOf(this.appender.list);
		}
		return events.stream()
			.filter((event) -> event.getLevel().toString().equals(level))
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.appender.stop();
	}

}
