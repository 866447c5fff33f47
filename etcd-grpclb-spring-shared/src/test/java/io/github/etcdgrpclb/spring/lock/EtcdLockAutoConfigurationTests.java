package io.github.etcdgrpclb.spring.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.etcdgrpclb.lock.EtcdLockContext;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;
import io.github.etcdgrpclb.lock.LockNotAcquiredException;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.FailureAnalyses;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class EtcdLockAutoConfigurationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	/** A plain counter: only the lock keeps its read-modify-write from losing updates. */
	static final int[] sharedCounter = { 0 };

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, EtcdAutoConfiguration.class,
				EtcdLockAutoConfiguration.class))
		.withUserConfiguration(LockedServices.class)
		.withPropertyValues("etcd.endpoints=" + etcd.endpoints());

	@Test
	void annotatedMethodShouldRunUnderTheLiteralKeysLock() {
		this.contextRunner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			try (RawEtcd raw = new RawEtcd(etcd.endpoints())) {
				assertThat(orders.report(() -> raw.list("/locks/nightly-report/").size())).isEqualTo(1);
			}
			assertThat(orders.lastToken()).isPositive();
		});
	}

	@Test
	void spelKeyShouldBeEvaluatedOverTheArguments() {
		this.contextRunner.run((context) -> {
			try (RawEtcd raw = new RawEtcd(etcd.endpoints())) {
				assertThat(context.getBean(Orders.class).settle("42", () -> raw.list("/locks/order:42/").size()))
					.isEqualTo(1);
			}
		});
	}

	@Test
	void nullOrBlankKeyShouldFailNamingMethodAndExpressionBeforeAnythingIsLocked() {
		this.contextRunner.run((context) -> {
			Orders orders = context.getBean(Orders.class);
			assertThatIllegalArgumentException().isThrownBy(() -> orders.byCustomer(null))
				.withMessageContaining("Orders.byCustomer")
				.withMessageContaining("#customer")
				.withMessageContaining("null");
			assertThatIllegalArgumentException().isThrownBy(() -> orders.byCustomer(" "))
				.withMessageContaining("blank");
			assertThat(orders.calls()).isZero();
		});
	}

	@Test
	void keyNamingAVariableTheMethodDoesNotHaveShouldFailStartupNamingVariableMethodAndParameters() {
		assertStartupFailure(UnknownVariable.class, "@EtcdLock(key = \"'job:' + #missing\") on ",
				"UnknownVariable.run: the key names #missing, but run has no such parameter; its parameters are "
						+ "(job, attempt), also reachable by position as #p0 or #a0");
		assertStartupFailure(BareUnknownVariable.class, "the key names #jobId, but run has no such parameter");
	}

	@Test
	void positionalAndRootVariablesShouldBeAccepted() {
		this.contextRunner.withBean(PositionalKey.class)
			.run((context) -> assertThat(context.getBean(PositionalKey.class).run("a", 7)).isEqualTo("a"));
	}

	@Test
	void unparsableKeyShouldFailStartupNamingMethodAndExpression() {
		assertStartupFailure(UnparsableKey.class, "UnparsableKey.run",
				"@EtcdLock(key = \"'customer:' + #customer +\")", "the key expression failed to parse");
	}

	@Test
	void negativeWaitOrTooShortTtlOnTheAnnotationShouldFailStartupNamingTheMethod() {
		assertStartupFailure(NegativeWait.class, "@EtcdLock(waitTime = \"-1s\") on ", "NegativeWait.run",
				"use 0 to try once");
		assertStartupFailure(ShortTtl.class, "@EtcdLock(leaseTtl = \"1s\")", "minimum of 2s");
	}

	private void assertStartupFailure(Class<?> bean, String... description) {
		this.contextRunner.withBean(bean).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains(description);
			assertThat(analysis.getAction()).contains("#p0");
		});
	}

	@Test
	void lockHeldElsewhereShouldMakeTheCallFailAfterTheWaitTimeWithoutRunningIt() {
		this.contextRunner.run((context) -> {
			EtcdLockTemplate template = context.getBean(EtcdLockTemplate.class);
			Orders orders = context.getBean(Orders.class);
			ExecutorService other = Executors.newSingleThreadExecutor();
			try (LockLease held = other.submit(() -> template.tryLock("order:7", Duration.ZERO)).get()) {
				assertThatExceptionOfType(LockNotAcquiredException.class).isThrownBy(() -> orders.settle("7", () -> 0))
					.withMessageContaining("/locks/order:7");
				assertThat(orders.calls()).isZero();
			}
			finally {
				other.shutdown();
			}
		});
	}

	@Test
	void nestedAnnotatedCallsOnTheSameKeyShouldNotDeadlock() {
		this.contextRunner.run((context) -> assertThat(context.getBean(Outer.class).run()).isEqualTo("inner"));
	}

	@Test
	void twoApplicationsWithFourThreadsEachShouldLoseNoUpdate() throws Exception {
		sharedCounter[0] = 0;
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			ExecutorService threads = Executors.newFixedThreadPool(8);
			List<Future<?>> work = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				AssertableApplicationContext app = (t % 2 == 0) ? first : second;
				int increments = (t < 4) ? 63 : 62;
				work.add(threads.submit(() -> {
					for (int i = 0; i < increments; i++) {
						app.getBean(Counter.class).increment();
					}
					return null;
				}));
			}
			for (Future<?> future : work) {
				future.get(120, TimeUnit.SECONDS);
			}
			threads.shutdown();
			assertThat(sharedCounter[0]).isEqualTo(500);
		}));
	}

	@Test
	void runWhenDisabledShouldProvideNoTemplate() {
		this.contextRunner.withPropertyValues("etcd.lock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdLockTemplate.class));
	}

	@Test
	void tooShortLeaseTtlShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("etcd.lock.lease-ttl=1s")
			.run((context) -> assertThat(FailureAnalyses.analyze(context.getStartupFailure()).getDescription())
				.contains("'etcd.lock.lease-ttl'"));
	}

	@Configuration(proxyBeanMethods = false)
	static class LockedServices {

		@Bean
		Orders orders() {
			return new Orders();
		}

		@Bean
		Inner inner() {
			return new Inner();
		}

		@Bean
		Outer outer(Inner inner) {
			return new Outer(inner);
		}

		@Bean
		Counter counter() {
			return new Counter();
		}

	}

	static class Orders {

		final AtomicInteger calls = new AtomicInteger();

		volatile long lastToken;

		@EtcdLock(key = "nightly-report")
		public int report(java.util.function.IntSupplier whileLocked) {
			this.calls.incrementAndGet();
			assertThat(EtcdLockContext.current().isValid()).isTrue();
			this.lastToken = EtcdLockContext.current().token();
			return whileLocked.getAsInt();
		}

		@EtcdLock(key = "'order:' + #orderId", waitTime = "300ms")
		public int settle(String orderId, java.util.function.IntSupplier whileLocked) {
			this.calls.incrementAndGet();
			return whileLocked.getAsInt();
		}

		@EtcdLock(key = "#customer")
		public void byCustomer(String customer) {
			this.calls.incrementAndGet();
		}

		// State is read through methods: a field read on the CGLIB proxy would see the proxy's own fields.
		public int calls() {
			return this.calls.get();
		}

		public long lastToken() {
			return this.lastToken;
		}

	}

	static class Inner {

		@EtcdLock(key = "nested", waitTime = "0")
		public String run() {
			return "inner";
		}

	}

	static class Outer {

		private final Inner inner;

		Outer(Inner inner) {
			this.inner = inner;
		}

		@EtcdLock(key = "nested", waitTime = "0")
		public String run() {
			return this.inner.run();
		}

	}

	static class Counter {

		@EtcdLock(key = "shared-counter", waitTime = "60s")
		public void increment() {
			int read = sharedCounter[0];
			Thread.yield();
			sharedCounter[0] = read + 1;
		}

	}

	static class UnknownVariable {

		@EtcdLock(key = "'job:' + #missing")
		public void run(String job, int attempt) {
		}

	}

	static class BareUnknownVariable {

		@EtcdLock(key = "#jobId")
		public void run(String job) {
		}

	}

	static class PositionalKey {

		@EtcdLock(key = "#p0 + ':' + #a1")
		public String run(String job, int attempt) {
			return EtcdLockContext.current().name().endsWith(job + ":7") ? job : "wrong key";
		}

	}

	static class UnparsableKey {

		@EtcdLock(key = "'customer:' + #customer +")
		public void run(String customer) {
		}

	}

	static class NegativeWait {

		@EtcdLock(key = "negative", waitTime = "-1s")
		public void run() {
		}

	}

	static class ShortTtl {

		@EtcdLock(key = "short", leaseTtl = "1s")
		public void run() {
		}

	}

}
