package io.github.etcdgrpclb.sample.server;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The report's settings ({@code sample.report.*}); the interval may come from etcd
 * ({@code /config/simple_grpc/sample.report.interval}) and change while the servers run.
 */
@ConfigurationProperties("sample.report")
public class ReportProperties {

	/**
	 * Time between two reports.
	 */
	private Duration interval = Duration.ofSeconds(10);

	public Duration getInterval() {
		return this.interval;
	}

	public void setInterval(Duration interval) {
		this.interval = interval;
	}

}
