// The application menu. Items that act on the player send a menu command to
// the renderer, which does the same as its own buttons. Labels follow the
// app's language (rebuilt when it changes).

import type { Menu as MenuT, MenuItemConstructorOptions } from 'electron';
import type { Locale } from '../lab/events';
import type { MenuCommand } from '../ipc';

const labels = {
  en: {
    file: 'File',
    open: 'Open Recording…',
    save: 'Save Recording…',
    exportPng: 'Export Chart as PNG…',
    exportCsv: 'Export Samples as CSV…',
    exportHtml: 'Export HTML Report…',
    demo: 'Try Without a Host',
    view: 'View',
    hosts: 'Hosts',
    scenarios: 'Scenarios',
    player: 'Player',
    language: 'Language',
    help: 'Help',
    about: 'About OOM Lab',
  },
  'zh-CN': {
    file: '文件',
    open: '打开录制…',
    save: '保存录制…',
    exportPng: '导出图表 PNG…',
    exportCsv: '导出采样 CSV…',
    exportHtml: '导出 HTML 报告…',
    demo: '无需主机试用',
    view: '视图',
    hosts: '主机',
    scenarios: '场景',
    player: '播放器',
    language: '语言',
    help: '帮助',
    about: '关于 OOM Lab',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export interface MenuDeps {
  Menu: Pick<typeof MenuT, 'buildFromTemplate' | 'setApplicationMenu'>;
  send(command: MenuCommand): void;
  isMac: boolean;
  locale: Locale;
  showAbout(): void;
}

export function menuTemplate(deps: Omit<MenuDeps, 'Menu'>): MenuItemConstructorOptions[] {
  const l = labels[deps.locale];
  const cmd = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => deps.send(command),
  });
  return [
    ...(deps.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: l.file,
      submenu: [
        cmd(l.open, 'open-recording', 'CmdOrCtrl+O'),
        cmd(l.save, 'save-recording', 'CmdOrCtrl+S'),
        { type: 'separator' },
        cmd(l.exportPng, 'export-png'),
        cmd(l.exportCsv, 'export-csv'),
        cmd(l.exportHtml, 'export-html'),
        { type: 'separator' },
        cmd(l.demo, 'try-demo'),
        { type: 'separator' },
        deps.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: l.view,
      submenu: [
        cmd(l.hosts, 'show-hosts', 'CmdOrCtrl+1'),
        cmd(l.scenarios, 'show-scenarios', 'CmdOrCtrl+2'),
        cmd(l.player, 'show-player', 'CmdOrCtrl+3'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: l.language,
      submenu: [
        { label: 'English', type: 'radio', checked: deps.locale === 'en', click: () => deps.send('lang-en') },
        { label: '简体中文', type: 'radio', checked: deps.locale === 'zh-CN', click: () => deps.send('lang-zh-CN') },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', label: l.help, submenu: [{ label: l.about, click: () => deps.showAbout() }] },
  ];
}

export function setupMenu(deps: MenuDeps): void {
  deps.Menu.setApplicationMenu(deps.Menu.buildFromTemplate(menuTemplate(deps)));
}
