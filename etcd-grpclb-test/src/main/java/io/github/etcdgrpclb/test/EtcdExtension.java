package io.github.etcdgrpclb.test;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts a real etcd before the tests of a class and stops it (deleting its
 * data) after them. Register it on a static field:
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final EtcdExtension etcd = EtcdExtension.single();
 * </pre>
 *
 * Test methods and constructors may also declare an {@link EtcdCluster} parameter.
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private final EtcdCluster.Builder builder;

	private EtcdCluster cluster;

	private EtcdExtension(EtcdCluster.Builder builder) {
		this.builder = builder;
	}

	/** @return an extension running one plain member */
	public static EtcdExtension single() {
		return new EtcdExtension(EtcdCluster.builder());
	}

	/** @return an extension running a cluster of {@code members} plain members */
	public static EtcdExtension cluster(int members) {
		return new EtcdExtension(EtcdCluster.builder().members(members));
	}

	/** @return an extension running the etcd the builder describes */
	public static EtcdExtension of(EtcdCluster.Builder builder) {
		return new EtcdExtension(builder);
	}

	/** @return the running etcd */
	public EtcdCluster etcd() {
		if (this.cluster == null) {
			throw new IllegalStateException("etcd is not running: register EtcdExtension on a static field");
		}
		return this.cluster;
	}

	/** @return the client endpoints, comma separated (the form of {@code etcd.endpoints}) */
	public String endpoints() {
		return etcd().endpoints();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		// Which etcd a test ran on, in every test report (CI runs the etcd-facing suites on 3.4 and 3.5).
		context.publishReportEntry("etcd", EtcdBinary.version());
		this.cluster = this.builder.start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.cluster != null) {
			this.cluster.close();
			this.cluster = null;
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == EtcdCluster.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return etcd();
	}

}
