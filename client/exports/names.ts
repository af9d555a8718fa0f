/** How an exported PNG is named: county, what it shows, the scope, and when (the county's clock). */
import { useI18n } from 'vue-i18n';
import { exportFileName, fileStamp } from '../../shared/export-file';
import { useNetworkStore } from '../stores/network';

export function usePngName(): (title: string, scope: string) => string {
  const { t, locale } = useI18n();
  const net = useNetworkStore();
  return (title, scope) => {
    const county = net.network?.county;
    const countyName = (locale.value === 'en' ? county?.nameEn : undefined) ?? county?.name ?? '';
    const node = net.nodesById.get(scope);
    const scopeName = !node || node.level === 'center' ? t('map.district') : node.name;
    return exportFileName([countyName, title, scopeName, fileStamp(Date.now())], 'png');
  };
}
