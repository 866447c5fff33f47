package io.github.etcdgrpclb.spring.cloud;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.github.etcdgrpclb.discovery.ServiceInstance;

import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Publishes Spring Cloud's {@link HeartbeatEvent} for each change of the catalog, with a counter as its
 * state, as Consul's and Kubernetes' discovery clients do: net.devh's {@code discovery:///} channels and
 * Spring Cloud Gateway's discovery routes refresh on it instead of polling (every 30 s by default).
 * <p>
 * Only once the context is refreshed: the catalog's first list arrives on its own thread while the
 * context may still be starting, when it cannot take events (a failure that once stopped the watch).
 */
final class CatalogHeartbeats implements Consumer<Map<String, List<ServiceInstance>>>,
		ApplicationListener<ContextRefreshedEvent> {

	private final AtomicLong changes = new AtomicLong();

	private volatile ApplicationEventPublisher publisher;

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		if (this.publisher == null) {
			this.publisher = event.getApplicationContext();
		}
	}

	@Override
	public void accept(Map<String, List<ServiceInstance>> services) {
		long change = this.changes.incrementAndGet();
		ApplicationEventPublisher target = this.publisher;
		if (target != null) {
			target.publishEvent(new HeartbeatEvent(this, change));
		}
	}

}
