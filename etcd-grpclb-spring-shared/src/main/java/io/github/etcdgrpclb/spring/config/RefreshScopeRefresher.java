package io.github.etcdgrpclb.spring.config;

import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Refreshes Spring Cloud's {@code @RefreshScope} beans after each configuration change from etcd, so
 * that they are created again, on their next use, from the changed Environment. Runs before the
 * application's own listeners of the event, so that they see the refreshed beans.
 */
public class RefreshScopeRefresher implements ApplicationListener<EtcdConfigChangedEvent>, Ordered {

	private final RefreshScope refreshScope;

	/** @param refreshScope Spring Cloud's refresh scope */
	public RefreshScopeRefresher(RefreshScope refreshScope) {
		this.refreshScope = refreshScope;
	}

	@Override
	public void onApplicationEvent(EtcdConfigChangedEvent event) {
		this.refreshScope.refreshAll();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

}
