package io.github.etcdgrpclb.spring.etcd;

import static io.github.etcdgrpclb.spring.etcd.EtcdAutoConfigurationTests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * An application whose etcd connection has no open call or stream stays quiet: etcd answers pings on
 * such a connection with strikes, and the third strike with {@code GOAWAY ENHANCE_YOUR_CALM
 * too_many_pings} (about 40 s at gRPC's shortest ping interval of 10 s). The default run idles for
 * 50 s; {@code -Dgrpclb.idle=10m} (.ci/run --long) for the ten minutes at the default 30 s.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdleClientTests {

	private static final Duration IDLE = DurationStyle.detectAndParse(System.getProperty("grpclb.idle", "50s"));

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private final GrpcWarnings grpcWarnings = new GrpcWarnings();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class))
		.withPropertyValues("etcd.endpoints=" + etcd.endpoints(),
				"etcd.keepalive-time=" + (IDLE.toMinutes() >= 5 ? "30s" : "10s"));

	@BeforeEach
	void recordGrpcWarnings() {
		Logger.getLogger("io.grpc").addHandler(this.grpcWarnings);
	}

	@AfterEach
	void stopRecording() {
		Logger.getLogger("io.grpc").removeHandler(this.grpcWarnings);
	}

	@Test
	void idleConnectionShouldGetNoGoawayAndLogNothing(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			Client client = context.getBean(Client.class);
			client.getKVClient().put(bytes("/idle/k"), bytes("v")).get(5, TimeUnit.SECONDS);
			int before = output.length();
			await().during(IDLE)
				.atMost(IDLE.plusSeconds(10))
				.untilAsserted(() -> assertThat(this.grpcWarnings.records).isEmpty());
			assertThat(output.toString().substring(before)).as("logged while idle").isBlank();
			// Still connected and usable after the idle time.
			assertThat(client.getKVClient().get(bytes("/idle/k")).get(5, TimeUnit.SECONDS).getCount()).isOne();
		});
	}

	/** gRPC's own warnings (java.util.logging), e.g. "Received GOAWAY with ENHANCE_YOUR_CALM". */
	private static final class GrpcWarnings extends Handler {

		final List<String> records = new CopyOnWriteArrayList<>();

		private final SimpleFormatter formatter = new SimpleFormatter();

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
				this.records.add(record.getLoggerName() + ": " + this.formatter.formatMessage(record));
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	}

}
