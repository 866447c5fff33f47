package io.github.etcdgrpclb.spring.config;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Tells Spring Cloud's listeners of each configuration change from etcd, as Spring Cloud Consul Config
 * does through its refresh: an {@link EnvironmentChangeEvent} with the changed property names, so that
 * e.g. Spring Cloud's {@code LoggingRebinder} applies {@code logging.level.*} from etcd.
 * <p>
 * The event's source is this publisher, not the application context: Spring Cloud's
 * {@code ConfigurationPropertiesRebinder} rebinds every {@code @ConfigurationProperties} bean (destroy,
 * bind, initialize) on an event from the context, which would undo the refresher's rule that a bean
 * whose new values do not bind keeps its old ones. The refresher has rebound the beans already.
 * Runs before {@link RefreshScopeRefresher}, in the order of Spring Cloud's own refresh.
 */
public class EnvironmentChangePublisher implements ApplicationListener<EtcdConfigChangedEvent>, Ordered {

	private final ApplicationEventPublisher publisher;

	/** @param publisher the application, to publish the event to */
	public EnvironmentChangePublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onApplicationEvent(EtcdConfigChangedEvent event) {
		this.publisher.publishEvent(new EnvironmentChangeEvent(this, event.getChangedProperties()));
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
